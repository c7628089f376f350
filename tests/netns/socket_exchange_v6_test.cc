// SenderSocket and ReceiverSocket over IPv6 inside the namespace made by
// netns_main.cc (lo carries ff00::/8; ::1 and 2001:db8::2 are local), and
// over a veth pair: hop limit and traffic class as set, SSM filtering,
// link-scoped groups, leave and re-join, IPV6_MULTICAST_LOOP.

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <set>
#include <vector>

#include "net/clock.h"
#include "net/event_loop.h"
#include "net/receiver_socket.h"
#include "net/sender_socket.h"
#include "netif/interface_lookup.h"
#include "packet/header.h"

namespace mcast::net {
namespace {

constexpr absl::Duration kPatience = absl::Seconds(5);

inet::IpAddress Ip(const char* text) { return *inet::IpAddress::Parse(text); }

struct Got {
  uint64_t sequence = 0;
  uint32_t sender_id = 0;
  inet::IpAddress source;
  uint16_t source_port = 0;
  int ttl = -1;
  int tos = -1;
  int64_t kernel_time_ns = 0;
};

void Drain(ReceiverSocket& receiver, std::vector<Got>& out) {
  while (true) {
    absl::StatusOr<absl::Span<const ReceivedDatagram>> batch =
        receiver.RecvBatch();
    ASSERT_TRUE(batch.ok()) << batch.status();
    for (const ReceivedDatagram& d : *batch) {
      packet::Header h;
      EXPECT_EQ(packet::DecodeHeader(d.data, &h), packet::DecodeResult::kOk);
      out.push_back(Got{h.sequence, h.sender_id, d.source, d.source_port, d.ttl,
                        d.tos, d.kernel_time_ns});
    }
    if (batch->empty()) return;
  }
}

bool ReceiveUntil(ReceiverSocket& receiver, std::vector<Got>& out,
                  size_t count) {
  auto loop = EventLoop::Create();
  if (!loop.ok()) return false;
  if (!(*loop)->AddReader(receiver.fd(), [&] { Drain(receiver, out); }).ok()) {
    return false;
  }
  const absl::Time deadline = absl::Now() + kPatience;
  while (out.size() < count && absl::Now() < deadline) {
    if (!(*loop)->RunOnce(absl::Milliseconds(50)).ok()) return false;
  }
  return out.size() >= count;
}

std::vector<uint8_t> Probe(uint32_t sender_id, uint64_t sequence) {
  std::vector<uint8_t> d(100);
  packet::Header h;
  h.sender_id = sender_id;
  h.sequence = sequence;
  h.timestamp_ns = static_cast<uint64_t>(MonotonicNanos());
  EXPECT_TRUE(packet::EncodeDatagram(h, absl::MakeSpan(d)));
  return d;
}

void Send(SenderSocket& sender, uint32_t sender_id, int count) {
  std::vector<std::vector<uint8_t>> all;
  for (int i = 0; i < count; ++i) {
    all.push_back(Probe(sender_id, static_cast<uint64_t>(i)));
  }
  std::vector<absl::Span<const uint8_t>> spans(all.begin(), all.end());
  size_t next = 0;
  const absl::Time deadline = absl::Now() + kPatience;
  while (next < spans.size()) {
    ASSERT_LT(absl::Now(), deadline) << "sender stuck at " << next;
    absl::StatusOr<int> sent =
        sender.SendBatch(absl::MakeConstSpan(spans).subspan(next));
    if (!sent.ok()) {
      ASSERT_TRUE(SenderSocket::IsTransientSendError(sent.status()))
          << sent.status();
      absl::SleepFor(absl::Milliseconds(1));
      continue;
    }
    next += static_cast<size_t>(*sent);
  }
}

TEST(SocketExchangeV6Test, HopLimitAndTrafficClassArriveAsSet) {
  SenderSocketOptions so;
  so.group = Ip("ff3e::8000:1");
  so.port = 20101;
  so.ttl = 7;
  so.dscp = 46;
  so.interface = "lo";
  absl::StatusOr<SenderSocket> sender = SenderSocket::Open(so);
  ASSERT_TRUE(sender.ok()) << sender.status();
  EXPECT_EQ(sender->interface_name(), "lo");
  EXPECT_TRUE(sender->local_address().is_v6());
  EXPECT_NE(sender->local_port(), 0);

  ReceiverSocketOptions ro;
  ro.group = so.group;
  ro.port = so.port;
  ro.interface = "lo";
  absl::StatusOr<ReceiverSocket> receiver = ReceiverSocket::Open(ro);
  ASSERT_TRUE(receiver.ok()) << receiver.status();
  EXPECT_TRUE(receiver->joined());

  const int64_t before = RealtimeNanos();
  Send(*sender, 1, 300);
  std::vector<Got> got;
  ASSERT_TRUE(ReceiveUntil(*receiver, got, 300)) << "received " << got.size();
  const int64_t after = RealtimeNanos();
  ASSERT_EQ(got.size(), 300u);
  std::set<uint64_t> seen;
  for (const Got& g : got) {
    seen.insert(g.sequence);
    EXPECT_EQ(g.source, Ip("::1"));
    EXPECT_EQ(g.source_port, sender->local_port());
    EXPECT_EQ(g.ttl, 7);
    EXPECT_EQ(g.tos, 46 << 2);
    EXPECT_GE(g.kernel_time_ns, before);
    EXPECT_LE(g.kernel_time_ns, after);
  }
  EXPECT_EQ(seen.size(), 300u);
  EXPECT_EQ(receiver->kernel_drops(), 0u);
}

TEST(SocketExchangeV6Test, SourceSpecificJoinsFilterBySource) {
  const inet::IpAddress group = Ip("ff3e::8000:2");
  auto open_receiver = [&](const char* source) {
    ReceiverSocketOptions ro;
    ro.group = group;
    ro.port = 20102;
    ro.interface = "lo";
    if (source != nullptr) ro.source = Ip(source);
    return ReceiverSocket::Open(ro);
  };
  absl::StatusOr<ReceiverSocket> from1 = open_receiver("::1");
  absl::StatusOr<ReceiverSocket> from2 = open_receiver("2001:db8::2");
  absl::StatusOr<ReceiverSocket> any = open_receiver(nullptr);
  ASSERT_TRUE(from1.ok()) << from1.status();
  ASSERT_TRUE(from2.ok()) << from2.status();
  ASSERT_TRUE(any.ok()) << any.status();
  auto open_sender = [&](const char* source) {
    SenderSocketOptions so;
    so.group = group;
    so.port = 20102;
    so.interface = "lo";
    so.source = Ip(source);
    return SenderSocket::Open(so);
  };
  absl::StatusOr<SenderSocket> s1 = open_sender("::1");
  absl::StatusOr<SenderSocket> s2 = open_sender("2001:db8::2");
  ASSERT_TRUE(s1.ok()) << s1.status();
  ASSERT_TRUE(s2.ok()) << s2.status();
  EXPECT_EQ(s2->local_address(), Ip("2001:db8::2"));
  Send(*s1, 1, 10);
  Send(*s2, 2, 10);
  std::vector<Got> got1, got2, got_any;
  ASSERT_TRUE(ReceiveUntil(*any, got_any, 20));
  Drain(*from1, got1);
  Drain(*from2, got2);
  EXPECT_EQ(got_any.size(), 20u);
  ASSERT_EQ(got1.size(), 10u);
  ASSERT_EQ(got2.size(), 10u);
  for (const Got& g : got1) EXPECT_EQ(g.source, Ip("::1"));
  for (const Got& g : got2) EXPECT_EQ(g.source, Ip("2001:db8::2"));
}

TEST(SocketExchangeV6Test, LinkScopedGroupOnItsInterfaceLeaveAndRejoin) {
  ReceiverSocketOptions ro;
  ro.group = Ip("ff12::1234");
  ro.port = 20103;
  ro.interface = "lo";
  absl::StatusOr<ReceiverSocket> receiver = ReceiverSocket::Open(ro);
  ASSERT_TRUE(receiver.ok()) << receiver.status();
  SenderSocketOptions so;
  so.group = ro.group;
  so.port = ro.port;
  so.interface = "lo";
  absl::StatusOr<SenderSocket> sender = SenderSocket::Open(so);
  ASSERT_TRUE(sender.ok()) << sender.status();
  Send(*sender, 3, 5);
  std::vector<Got> got;
  ASSERT_TRUE(ReceiveUntil(*receiver, got, 5));

  ASSERT_TRUE(receiver->Leave().ok());
  EXPECT_FALSE(receiver->joined());
  Send(*sender, 4, 5);
  absl::SleepFor(absl::Milliseconds(200));
  std::vector<Got> after_leave;
  Drain(*receiver, after_leave);
  EXPECT_TRUE(after_leave.empty()) << after_leave.size() << " after leave";

  ASSERT_TRUE(receiver->Rejoin().ok());
  EXPECT_TRUE(receiver->joined());
  Send(*sender, 5, 5);
  std::vector<Got> again;
  ASSERT_TRUE(ReceiveUntil(*receiver, again, 5));
  for (const Got& g : again) EXPECT_EQ(g.sender_id, 5u);
}

TEST(SocketExchangeV6Test, MixedFamiliesAreRefused) {
  SenderSocketOptions so;
  so.group = Ip("ff3e::1");
  so.source = Ip("127.0.0.1");
  EXPECT_TRUE(absl::IsInvalidArgument(SenderSocket::Open(so).status()));
  ReceiverSocketOptions ro;
  ro.group = Ip("239.1.1.1");
  ro.source = Ip("::1");
  EXPECT_TRUE(absl::IsInvalidArgument(ReceiverSocket::Open(ro).status()));
}

// Over lo the kernel delivers regardless of the loop option: a veth shows
// it. Addresses nodad, so they are usable at once.
TEST(SocketExchangeV6Test, MulticastLoopOffSuppressesLocalCopyOnVeth) {
  ASSERT_EQ(std::system("ip link add mcv6a type veth peer name mcv6b && "
                        "ip addr add fd00:77::1/64 dev mcv6a nodad && "
                        "ip link set mcv6a up && ip link set mcv6b up"),
            0);
  ReceiverSocketOptions ro;
  ro.group = Ip("ff15::20:1");
  ro.port = 20110;
  ro.interface = "mcv6a";
  absl::StatusOr<ReceiverSocket> receiver = ReceiverSocket::Open(ro);
  ASSERT_TRUE(receiver.ok()) << receiver.status();
  SenderSocketOptions so;
  so.group = ro.group;
  so.port = ro.port;
  so.interface = "mcv6a";
  so.loopback = false;
  absl::StatusOr<SenderSocket> quiet = SenderSocket::Open(so);
  so.loopback = true;
  absl::StatusOr<SenderSocket> loud = SenderSocket::Open(so);
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  ASSERT_TRUE(loud.ok()) << loud.status();
  Send(*quiet, 9, 2);
  Send(*loud, 10, 1);
  std::vector<Got> got;
  ASSERT_TRUE(ReceiveUntil(*receiver, got, 1));
  absl::SleepFor(absl::Milliseconds(100));
  Drain(*receiver, got);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].sender_id, 10u);
  EXPECT_EQ(got[0].source, Ip("fd00:77::1"));
  [[maybe_unused]] int rc = std::system("ip link del mcv6a");
}

}  // namespace
}  // namespace mcast::net
