// SenderSocket and ReceiverSocket over loopback (and a veth pair) inside
// the namespace made by netns_main.cc.

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <vector>

#include "net/clock.h"
#include "net/event_loop.h"
#include "net/receiver_socket.h"
#include "net/sender_socket.h"
#include "netif/interface_lookup.h"
#include "packet/header.h"

namespace mcast::net {
namespace {

// How long to wait for packets that should arrive; only reached on failure.
constexpr absl::Duration kPatience = absl::Seconds(5);

inet::IpAddress Ip(const char* text) { return *inet::IpAddress::Parse(text); }

struct Got {
  std::vector<uint8_t> data;
  inet::IpAddress source;
  uint16_t source_port;
  bool truncated;
  int ttl;
  int tos;
  int64_t kernel_time_ns;
  size_t length;
};

// Appends what is queued on `receiver` to `out` (copies: views die at the
// next RecvBatch).
void Drain(ReceiverSocket& receiver, std::vector<Got>& out) {
  while (true) {
    absl::StatusOr<absl::Span<const ReceivedDatagram>> batch =
        receiver.RecvBatch();
    ASSERT_TRUE(batch.ok()) << batch.status();
    for (const ReceivedDatagram& d : *batch) {
      out.push_back(Got{std::vector<uint8_t>(d.data.begin(), d.data.end()),
                        d.source, d.source_port, d.truncated, d.ttl, d.tos,
                        d.kernel_time_ns, d.length});
    }
    if (batch->empty()) return;
  }
}

// Runs an event loop over `receivers` until `done()` or kPatience.
bool ReceiveUntil(std::vector<ReceiverSocket*> receivers,
                  std::vector<std::vector<Got>*> outs,
                  std::function<bool()> done) {
  auto loop = EventLoop::Create();
  if (!loop.ok()) return false;
  for (size_t i = 0; i < receivers.size(); ++i) {
    ReceiverSocket* r = receivers[i];
    std::vector<Got>* out = outs[i];
    if (!(*loop)->AddReader(r->fd(), [r, out] { Drain(*r, *out); }).ok()) {
      return false;
    }
  }
  const absl::Time deadline = absl::Now() + kPatience;
  while (!done() && absl::Now() < deadline) {
    if (!(*loop)->RunOnce(absl::Milliseconds(50)).ok()) return false;
  }
  return done();
}

std::vector<uint8_t> Probe(uint32_t sender_id, uint64_t sequence, size_t size) {
  std::vector<uint8_t> d(size);
  packet::Header h;
  h.sender_id = sender_id;
  h.sequence = sequence;
  h.timestamp_ns = static_cast<uint64_t>(MonotonicNanos());
  EXPECT_TRUE(packet::EncodeDatagram(h, absl::MakeSpan(d)));
  return d;
}

// Sends all of `datagrams`, `batch` at a time, retrying transient errors.
void SendAll(SenderSocket& sender, const std::vector<std::vector<uint8_t>>& all,
             size_t batch) {
  std::vector<absl::Span<const uint8_t>> spans;
  for (const auto& d : all) spans.emplace_back(d);
  size_t next = 0;
  const absl::Time deadline = absl::Now() + kPatience;
  while (next < spans.size()) {
    ASSERT_LT(absl::Now(), deadline) << "sender stuck at " << next;
    const size_t n = std::min(batch, spans.size() - next);
    absl::StatusOr<int> sent =
        sender.SendBatch(absl::MakeConstSpan(spans).subspan(next, n));
    if (!sent.ok()) {
      ASSERT_TRUE(SenderSocket::IsTransientSendError(sent.status()))
          << sent.status();
      absl::SleepFor(absl::Milliseconds(1));
      continue;
    }
    next += static_cast<size_t>(*sent);
  }
}

uint64_t SequenceOf(const std::vector<uint8_t>& d) {
  packet::Header h;
  EXPECT_EQ(packet::DecodeHeader(d, &h), packet::DecodeResult::kOk);
  return h.sequence;
}

TEST(RouteTest, MulticastRoutesToLoopback) {
  absl::StatusOr<netif::RoutedInterface> routed =
      netif::RouteInterfaceFor(Ip("239.1.1.1"));
  ASSERT_TRUE(routed.ok()) << routed.status();
  EXPECT_EQ(routed->name, "lo");
  EXPECT_EQ(routed->source, Ip("127.0.0.1"));
  routed = netif::RouteInterfaceFor(Ip("239.1.1.1"), Ip("127.0.0.2"));
  ASSERT_TRUE(routed.ok()) << routed.status();
  EXPECT_EQ(routed->name, "lo");
  EXPECT_TRUE(
      absl::IsUnavailable(netif::RouteInterfaceFor(Ip("192.0.2.1")).status()));
}

TEST(SocketExchangeTest, ThousandPacketsInBatchesArriveIntact) {
  SenderSocketOptions so;
  so.group = Ip("239.10.0.1");
  so.port = 20001;
  so.ttl = 7;
  so.dscp = 46;
  absl::StatusOr<SenderSocket> sender = SenderSocket::Open(so);
  ASSERT_TRUE(sender.ok()) << sender.status();
  EXPECT_EQ(sender->interface_name(), "lo");
  EXPECT_EQ(sender->interface_index(), *netif::InterfaceIndex("lo"));
  EXPECT_NE(sender->local_port(), 0);

  ReceiverSocketOptions ro;
  ro.group = so.group;
  ro.port = so.port;
  absl::StatusOr<ReceiverSocket> receiver = ReceiverSocket::Open(ro);
  ASSERT_TRUE(receiver.ok()) << receiver.status();
  EXPECT_EQ(receiver->interface_name(), "lo");
  EXPECT_TRUE(receiver->joined());
  EXPECT_GE(receiver->rcvbuf_bytes(), ro.rcvbuf_bytes);

  constexpr int kCount = 1000;
  std::vector<std::vector<uint8_t>> sent;
  for (int i = 0; i < kCount; ++i) {
    sent.push_back(Probe(1, static_cast<uint64_t>(i), 64 + (i % 200)));
  }
  const int64_t before = RealtimeNanos();
  std::vector<Got> got;
  for (int first = 0; first < kCount; first += 50) {
    std::vector<std::vector<uint8_t>> chunk(sent.begin() + first,
                                            sent.begin() + first + 50);
    SendAll(*sender, chunk, 50);
    Drain(*receiver, got);
  }
  ASSERT_TRUE(
      ReceiveUntil({&*receiver}, {&got}, [&] { return got.size() >= kCount; }))
      << "received " << got.size();
  const int64_t after = RealtimeNanos();

  ASSERT_EQ(got.size(), static_cast<size_t>(kCount));
  std::map<uint64_t, int> seen;
  for (const Got& g : got) {
    const uint64_t seq = SequenceOf(g.data);
    ASSERT_LT(seq, static_cast<uint64_t>(kCount));
    ++seen[seq];
    EXPECT_EQ(g.data, sent[seq]) << "sequence " << seq;
    EXPECT_EQ(g.source, Ip("127.0.0.1"));
    EXPECT_EQ(g.source_port, sender->local_port());
    EXPECT_FALSE(g.truncated);
    EXPECT_EQ(g.ttl, 7);
    EXPECT_EQ(g.tos, 46 << 2);
    EXPECT_GE(g.kernel_time_ns, before);
    EXPECT_LE(g.kernel_time_ns, after);
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kCount));  // No duplicates.
  EXPECT_EQ(receiver->kernel_drops(), 0u);
}

TEST(SocketExchangeTest, SourceSpecificJoinsFilterBySource) {
  const inet::IpAddress group = Ip("232.1.1.1");
  constexpr uint16_t kPort = 20002;
  auto open_receiver = [&](const char* source) {
    ReceiverSocketOptions ro;
    ro.group = group;
    ro.port = kPort;
    if (source != nullptr) ro.source = Ip(source);
    return ReceiverSocket::Open(ro);
  };
  absl::StatusOr<ReceiverSocket> from1 = open_receiver("127.0.0.1");
  absl::StatusOr<ReceiverSocket> from2 = open_receiver("127.0.0.2");
  absl::StatusOr<ReceiverSocket> any = open_receiver(nullptr);
  ASSERT_TRUE(from1.ok()) << from1.status();
  ASSERT_TRUE(from2.ok()) << from2.status();
  ASSERT_TRUE(any.ok()) << any.status();

  auto open_sender = [&](const char* source) {
    SenderSocketOptions so;
    so.group = group;
    so.port = kPort;
    so.source = Ip(source);
    return SenderSocket::Open(so);
  };
  absl::StatusOr<SenderSocket> s1 = open_sender("127.0.0.1");
  absl::StatusOr<SenderSocket> s2 = open_sender("127.0.0.2");
  ASSERT_TRUE(s1.ok()) << s1.status();
  ASSERT_TRUE(s2.ok()) << s2.status();
  EXPECT_EQ(s2->local_address(), Ip("127.0.0.2"));
  EXPECT_EQ(s2->interface_name(), "lo");

  std::vector<std::vector<uint8_t>> d1, d2;
  for (uint64_t i = 0; i < 10; ++i) {
    d1.push_back(Probe(1, i, 100));
    d2.push_back(Probe(2, i, 100));
  }
  SendAll(*s1, d1, 64);
  SendAll(*s2, d2, 64);

  std::vector<Got> got1, got2, got_any;
  // The any-source receiver gets all 20; each packet is queued on every
  // matching socket at once, so by then the SSM sockets have theirs.
  ASSERT_TRUE(
      ReceiveUntil({&*any}, {&got_any}, [&] { return got_any.size() >= 20; }));
  Drain(*from1, got1);
  Drain(*from2, got2);
  EXPECT_EQ(got_any.size(), 20u);
  ASSERT_EQ(got1.size(), 10u);
  ASSERT_EQ(got2.size(), 10u);
  for (const Got& g : got1) EXPECT_EQ(g.source, Ip("127.0.0.1"));
  for (const Got& g : got2) EXPECT_EQ(g.source, Ip("127.0.0.2"));
}

TEST(SocketExchangeTest, TwoReceiversOnOnePortBothGetEverything) {
  ReceiverSocketOptions ro;
  ro.group = Ip("239.10.0.3");
  ro.port = 20003;
  absl::StatusOr<ReceiverSocket> a = ReceiverSocket::Open(ro);
  absl::StatusOr<ReceiverSocket> b = ReceiverSocket::Open(ro);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();

  SenderSocketOptions so;
  so.group = ro.group;
  so.port = ro.port;
  so.interface = "lo";
  absl::StatusOr<SenderSocket> sender = SenderSocket::Open(so);
  ASSERT_TRUE(sender.ok()) << sender.status();
  std::vector<std::vector<uint8_t>> all;
  for (uint64_t i = 0; i < 200; ++i) all.push_back(Probe(3, i, 120));
  SendAll(*sender, all, 64);

  std::vector<Got> got_a, got_b;
  ASSERT_TRUE(
      ReceiveUntil({&*a, &*b}, {&got_a, &got_b},
                   [&] { return got_a.size() >= 200 && got_b.size() >= 200; }))
      << got_a.size() << " and " << got_b.size();
  EXPECT_EQ(got_a.size(), 200u);
  EXPECT_EQ(got_b.size(), 200u);
}

TEST(SocketExchangeTest, OtherGroupOnTheSamePortIsNotReceived) {
  ReceiverSocketOptions ro;
  ro.group = Ip("239.10.0.4");
  ro.port = 20004;
  ReceiverSocketOptions other = ro;
  other.group = Ip("239.10.0.5");
  absl::StatusOr<ReceiverSocket> mine = ReceiverSocket::Open(ro);
  absl::StatusOr<ReceiverSocket> theirs = ReceiverSocket::Open(other);
  ASSERT_TRUE(mine.ok() && theirs.ok());

  SenderSocketOptions so;
  so.group = other.group;
  so.port = other.port;
  absl::StatusOr<SenderSocket> sender = SenderSocket::Open(so);
  ASSERT_TRUE(sender.ok()) << sender.status();
  SendAll(*sender, {Probe(4, 0, 64), Probe(4, 1, 64)}, 64);
  std::vector<Got> got_theirs, got_mine;
  ASSERT_TRUE(ReceiveUntil({&*theirs}, {&got_theirs},
                           [&] { return got_theirs.size() >= 2; }));
  Drain(*mine, got_mine);
  EXPECT_TRUE(got_mine.empty());
}

TEST(SocketExchangeTest, LongDatagramIsFlaggedTruncated) {
  ReceiverSocketOptions ro;
  ro.group = Ip("239.10.0.6");
  ro.port = 20006;
  ro.max_datagram_size = 64;
  ro.batch_size = 4;
  absl::StatusOr<ReceiverSocket> receiver = ReceiverSocket::Open(ro);
  ASSERT_TRUE(receiver.ok()) << receiver.status();
  SenderSocketOptions so;
  so.group = ro.group;
  so.port = ro.port;
  absl::StatusOr<SenderSocket> sender = SenderSocket::Open(so);
  ASSERT_TRUE(sender.ok()) << sender.status();
  const std::vector<uint8_t> big = Probe(5, 0, 200);
  const std::vector<uint8_t> exact = Probe(5, 1, 64);
  SendAll(*sender, {big, exact}, 64);
  std::vector<Got> got;
  ASSERT_TRUE(
      ReceiveUntil({&*receiver}, {&got}, [&] { return got.size() >= 2; }));
  ASSERT_EQ(got.size(), 2u);
  const Got& first = SequenceOf(got[0].data) == 0 ? got[0] : got[1];
  const Got& second = &first == &got[0] ? got[1] : got[0];
  EXPECT_TRUE(first.truncated);
  EXPECT_EQ(first.length, 200u);  // The true length, for exact byte counts.
  EXPECT_EQ(first.data, std::vector<uint8_t>(big.begin(), big.begin() + 64));
  EXPECT_EQ(second.length, 64u);
  EXPECT_FALSE(second.truncated);
  EXPECT_EQ(second.data, exact);
}

TEST(SocketExchangeTest, LeaveStopsDeliveryAndRejoinResumesIt) {
  ReceiverSocketOptions ro;
  ro.group = Ip("239.10.0.7");
  ro.port = 20007;
  absl::StatusOr<ReceiverSocket> flapping = ReceiverSocket::Open(ro);
  absl::StatusOr<ReceiverSocket> witness = ReceiverSocket::Open(ro);
  ASSERT_TRUE(flapping.ok() && witness.ok());
  SenderSocketOptions so;
  so.group = ro.group;
  so.port = ro.port;
  absl::StatusOr<SenderSocket> sender = SenderSocket::Open(so);
  ASSERT_TRUE(sender.ok()) << sender.status();

  ASSERT_TRUE(flapping->Leave().ok());
  EXPECT_FALSE(flapping->joined());
  SendAll(*sender, {Probe(7, 0, 64), Probe(7, 1, 64)}, 64);
  std::vector<Got> got_witness, got_flapping;
  ASSERT_TRUE(ReceiveUntil({&*witness}, {&got_witness},
                           [&] { return got_witness.size() >= 2; }));
  Drain(*flapping, got_flapping);
  EXPECT_TRUE(got_flapping.empty());

  ASSERT_TRUE(flapping->Rejoin().ok());
  EXPECT_TRUE(flapping->joined());
  EXPECT_EQ(flapping->interface_name(), "lo");
  SendAll(*sender, {Probe(7, 2, 64), Probe(7, 3, 64)}, 64);
  ASSERT_TRUE(ReceiveUntil({&*flapping}, {&got_flapping},
                           [&] { return got_flapping.size() >= 2; }));
  // Rejoin also works while joined (drop + add).
  EXPECT_TRUE(flapping->Rejoin().ok());
}

TEST(SocketExchangeTest, MovedSocketsKeepWorking) {
  ReceiverSocketOptions ro;
  ro.group = Ip("239.10.0.8");
  ro.port = 20008;
  absl::StatusOr<ReceiverSocket> opened = ReceiverSocket::Open(ro);
  ASSERT_TRUE(opened.ok());
  ReceiverSocket receiver = *std::move(opened);
  SenderSocketOptions so;
  so.group = ro.group;
  so.port = ro.port;
  absl::StatusOr<SenderSocket> opened_sender = SenderSocket::Open(so);
  ASSERT_TRUE(opened_sender.ok());
  SenderSocket sender = *std::move(opened_sender);
  SenderSocket sender2 = std::move(sender);
  SendAll(sender2, {Probe(8, 0, 80)}, 64);
  std::vector<Got> got;
  ASSERT_TRUE(
      ReceiveUntil({&receiver}, {&got}, [&] { return got.size() >= 1; }));
}

// A veth pair in this namespace; removed by the destructor (and with the
// namespace at exit anyway).
class Veth {
 public:
  Veth() {
    ok_ = std::system("ip link add mcv0 type veth peer name mcv1") == 0 &&
          std::system("ip addr add 10.77.0.1/24 dev mcv0") == 0 &&
          std::system("ip link set mcv0 up") == 0 &&
          std::system("ip link set mcv1 up") == 0;
  }
  ~Veth() { [[maybe_unused]] int rc = std::system("ip link del mcv0"); }
  bool ok() const { return ok_; }

 private:
  bool ok_ = false;
};

// Over lo the kernel delivers regardless of IP_MULTICAST_LOOP, so this
// checks the option on a veth: with loop off, no local copy.
TEST(SocketExchangeTest, MulticastLoopOffSuppressesLocalCopyOnVeth) {
  Veth veth;
  ASSERT_TRUE(veth.ok());
  ReceiverSocketOptions ro;
  ro.group = Ip("239.20.0.1");
  ro.port = 20010;
  ro.interface = "mcv0";
  absl::StatusOr<ReceiverSocket> receiver = ReceiverSocket::Open(ro);
  ASSERT_TRUE(receiver.ok()) << receiver.status();
  EXPECT_EQ(receiver->interface_name(), "mcv0");

  SenderSocketOptions so;
  so.group = ro.group;
  so.port = ro.port;
  so.interface = "mcv0";
  so.loopback = false;
  absl::StatusOr<SenderSocket> quiet = SenderSocket::Open(so);
  so.loopback = true;
  absl::StatusOr<SenderSocket> loud = SenderSocket::Open(so);
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  ASSERT_TRUE(loud.ok()) << loud.status();
  EXPECT_EQ(quiet->interface_name(), "mcv0");

  SendAll(*quiet, {Probe(9, 0, 64), Probe(9, 1, 64)}, 64);
  SendAll(*loud, {Probe(10, 0, 64)}, 64);
  std::vector<Got> got;
  ASSERT_TRUE(ReceiveUntil({&*receiver}, {&got}, [&] { return !got.empty(); }));
  Drain(*receiver, got);
  ASSERT_EQ(got.size(), 1u);
  packet::Header h;
  ASSERT_EQ(packet::DecodeHeader(got[0].data, &h), packet::DecodeResult::kOk);
  EXPECT_EQ(h.sender_id, 10u);
  EXPECT_EQ(got[0].source, Ip("10.77.0.1"));
}

}  // namespace
}  // namespace mcast::net
