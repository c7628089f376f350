// How many receive calls one ProbeReceiver::OnReadable() costs, over lo
// inside the private namespace of mcast_netns_tests: a batch shorter than
// the batch size ends the call (no second recvmmsg that can only say
// EAGAIN), full batches go on up to kMaxBatchesPerCall.

#include <gtest/gtest.h>
#include <poll.h>

#include <memory>
#include <optional>
#include <vector>

#include "net/clock.h"
#include "net/receiver_socket.h"
#include "net/sender_socket.h"
#include "packet/header.h"
#include "probe/probe_receiver.h"

namespace mcast::probe {
namespace {

inet::IpAddress Ip(const char* text) { return *inet::IpAddress::Parse(text); }

net::ReceiverSocketOptions Options(uint16_t port, int batch_size,
                                   int rcvbuf_bytes = 4 << 20) {
  net::ReceiverSocketOptions o;
  o.rcvbuf_bytes = rcvbuf_bytes;
  o.group = Ip("239.10.9.1");
  o.port = port;
  o.interface = "lo";
  o.batch_size = batch_size;
  return o;
}

uint64_t Received(const ProbeReceiver& r) {
  return r.stats().Snapshot(net::MonotonicNanos()).totals.received;
}

// Sends `count` probes and returns once all of them are queued on every
// socket joined to the group: the kernel delivers each datagram to all of
// its group's sockets in one pass, so once `witness` holds the last one,
// the receiver under test does too (no sleeping, no guessing).
void SendAndWait(uint16_t port, int count, net::ReceiverSocket& witness) {
  net::SenderSocketOptions so;
  so.group = Ip("239.10.9.1");
  so.port = port;
  so.interface = "lo";
  absl::StatusOr<net::SenderSocket> sender = net::SenderSocket::Open(so);
  ASSERT_TRUE(sender.ok()) << sender.status();
  std::vector<std::vector<uint8_t>> datagrams;
  for (int i = 0; i < count; ++i) {
    std::vector<uint8_t> d(64);
    packet::Header h;
    h.sender_id = 7;
    h.sequence = static_cast<uint64_t>(i);
    h.timestamp_ns = static_cast<uint64_t>(net::MonotonicNanos());
    ASSERT_TRUE(packet::EncodeDatagram(h, absl::MakeSpan(d)));
    datagrams.push_back(std::move(d));
  }
  for (const std::vector<uint8_t>& d : datagrams) {
    const absl::Span<const uint8_t> one[] = {d};
    absl::StatusOr<int> sent = sender->SendBatch(one);
    ASSERT_TRUE(sent.ok()) << sent.status();
    ASSERT_EQ(*sent, 1);
  }
  int seen = 0;
  while (seen < count) {
    pollfd p{witness.fd(), POLLIN, 0};
    ASSERT_EQ(poll(&p, 1, 5000), 1) << "witness got " << seen << "/" << count;
    absl::StatusOr<absl::Span<const net::ReceivedDatagram>> batch =
        witness.RecvBatch();
    ASSERT_TRUE(batch.ok()) << batch.status();
    seen += static_cast<int>(batch->size());
  }
}

struct Pair {
  std::unique_ptr<ProbeReceiver> receiver;
  std::optional<net::ReceiverSocket> witness;
};

Pair OpenPair(uint16_t port, int batch_size, int rcvbuf_bytes = 4 << 20) {
  Pair p;
  absl::StatusOr<std::unique_ptr<ProbeReceiver>> r =
      ProbeReceiver::Open(Options(port, batch_size, rcvbuf_bytes), {});
  EXPECT_TRUE(r.ok()) << r.status();
  if (r.ok()) p.receiver = std::move(*r);
  absl::StatusOr<net::ReceiverSocket> w =
      net::ReceiverSocket::Open(Options(port, net::ReceiverSocket::kMaxBatch));
  EXPECT_TRUE(w.ok()) << w.status();
  if (w.ok()) p.witness.emplace(std::move(*w));
  return p;
}

TEST(ProbeReceiverBatchTest, ShortBatchEndsTheCallAfterOneReceive) {
  Pair p = OpenPair(20101, 64);
  ASSERT_TRUE(p.receiver && p.witness);
  SendAndWait(20101, 3, *p.witness);
  const uint64_t calls = p.receiver->socket().receive_calls();
  ASSERT_TRUE(p.receiver->OnReadable().ok());
  EXPECT_EQ(p.receiver->socket().receive_calls() - calls, 1u);
  EXPECT_EQ(Received(*p.receiver), 3u);
  EXPECT_EQ(p.receiver->socket_drops(), 0u);
}

TEST(ProbeReceiverBatchTest, FullBatchesGoOnUntilAShortOne) {
  Pair p = OpenPair(20102, 2);
  ASSERT_TRUE(p.receiver && p.witness);
  SendAndWait(20102, 5, *p.witness);
  const uint64_t calls = p.receiver->socket().receive_calls();
  ASSERT_TRUE(p.receiver->OnReadable().ok());
  // 2 + 2 + 1: the short third batch ends it.
  EXPECT_EQ(p.receiver->socket().receive_calls() - calls, 3u);
  EXPECT_EQ(Received(*p.receiver), 5u);
}

TEST(ProbeReceiverBatchTest, ExactMultipleNeedsOneEmptyReceiveToKnow) {
  Pair p = OpenPair(20103, 2);
  ASSERT_TRUE(p.receiver && p.witness);
  SendAndWait(20103, 4, *p.witness);
  const uint64_t calls = p.receiver->socket().receive_calls();
  ASSERT_TRUE(p.receiver->OnReadable().ok());
  // 2 + 2, then a full batch cannot tell "drained" from "more": one EAGAIN.
  EXPECT_EQ(p.receiver->socket().receive_calls() - calls, 3u);
  EXPECT_EQ(Received(*p.receiver), 4u);
}

TEST(ProbeReceiverBatchTest, BusySocketYieldsAtTheBatchLimitAndKeepsTheRest) {
  Pair p = OpenPair(20104, 1);
  ASSERT_TRUE(p.receiver && p.witness);
  constexpr int kLimit = ProbeReceiver::kMaxBatchesPerCall;
  SendAndWait(20104, kLimit + 4, *p.witness);
  uint64_t calls = p.receiver->socket().receive_calls();
  ASSERT_TRUE(p.receiver->OnReadable().ok());
  EXPECT_EQ(p.receiver->socket().receive_calls() - calls,
            static_cast<uint64_t>(kLimit));
  EXPECT_EQ(Received(*p.receiver), static_cast<uint64_t>(kLimit));
  // Still readable (level-triggered epoll would call again): the rest, and
  // with batches of one, one empty receive to see the end.
  calls = p.receiver->socket().receive_calls();
  ASSERT_TRUE(p.receiver->OnReadable().ok());
  EXPECT_EQ(p.receiver->socket().receive_calls() - calls, 5u);
  EXPECT_EQ(Received(*p.receiver), static_cast<uint64_t>(kLimit + 4));
}

TEST(ProbeReceiverBatchTest, DropsStayExactWhenShortBatchesEndTheCalls) {
  // A buffer of a few datagrams (root gets it exactly) and a burst that
  // overflows it: every datagram sent is either received or counted as a
  // socket drop, although no call ever ends on an empty receive.
  Pair p = OpenPair(20105, 64, 4096);
  ASSERT_TRUE(p.receiver && p.witness);
  constexpr int kBurst = 200;
  SendAndWait(20105, kBurst, *p.witness);
  ASSERT_TRUE(p.receiver->OnReadable().ok());
  // The kernel stamps its drop count on each datagram it queues, so drops
  // after the last queued one surface with the next datagram.
  SendAndWait(20105, 1, *p.witness);
  ASSERT_TRUE(p.receiver->OnReadable().ok());
  EXPECT_GT(p.receiver->socket_drops(), 0u);
  EXPECT_EQ(Received(*p.receiver) + p.receiver->socket_drops(),
            static_cast<uint64_t>(kBurst + 1));
}

}  // namespace
}  // namespace mcast::probe
