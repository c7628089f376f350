// SendRoute, SharedSendSocket and SendScheduler over lo and a veth pair
// inside the namespace made by netns_main.cc: several flows with their own
// TTL (hop limit), DSCP (traffic class), interface and source share one
// socket and one sendmmsg, IPv4 and IPv6, and a flow whose interface goes
// away fails alone.

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "net/clock.h"
#include "net/event_loop.h"
#include "net/receiver_socket.h"
#include "net/send_route.h"
#include "net/shared_send_socket.h"
#include "packet/header.h"
#include "probe/probe_sender.h"
#include "probe/send_scheduler.h"

namespace mcast::probe {
namespace {

constexpr absl::Duration kPatience = absl::Seconds(5);

inet::IpAddress Ip(const char* text) { return *inet::IpAddress::Parse(text); }

struct Got {
  uint64_t sequence;
  uint32_t sender_id;
  inet::IpAddress source;
  uint16_t source_port;
  int ttl;
  int tos;
};

void Drain(net::ReceiverSocket& r, std::vector<Got>& out) {
  while (true) {
    absl::StatusOr<absl::Span<const net::ReceivedDatagram>> batch =
        r.RecvBatch();
    ASSERT_TRUE(batch.ok()) << batch.status();
    for (const net::ReceivedDatagram& d : *batch) {
      packet::Header h;
      ASSERT_EQ(packet::DecodeHeader(d.data, &h), packet::DecodeResult::kOk);
      out.push_back(
          {h.sequence, h.sender_id, d.source, d.source_port, d.ttl, d.tos});
    }
    if (batch->empty()) return;
  }
}

// A veth pair; removed by the destructor unless Remove() did it already.
class Veth {
 public:
  Veth() {
    // The IPv6 address nodad, so that it is usable at once.
    ok_ = std::system("ip link add mss0 type veth peer name mss1") == 0 &&
          std::system("ip addr add 10.78.0.1/24 dev mss0") == 0 &&
          std::system("ip addr add fd00:78::1/64 dev mss0 nodad") == 0 &&
          std::system("ip link set mss0 up") == 0 &&
          std::system("ip link set mss1 up") == 0;
  }
  ~Veth() { Remove(); }
  void Remove() {
    if (ok_) [[maybe_unused]]
      int rc = std::system("ip link del mss0");
    ok_ = false;
  }
  bool ok() const { return ok_; }

 private:
  bool ok_ = false;
};

struct FlowSpec {
  const char* group;
  const char* interface;
  const char* source;
  int ttl;
  int dscp;
  bool loopback = true;
};

// Packets sent by `device` so far, from /proc/net/dev (this namespace's;
// /sys/class/net would show the host's sysfs here). -1 when not listed.
int64_t TxPackets(const std::string& device) {
  std::ifstream in("/proc/net/dev");
  std::string line;
  while (std::getline(in, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    name.erase(0, name.find_first_not_of(' '));
    if (name != device) continue;
    std::istringstream fields(line.substr(colon + 1));
    // rx: bytes packets errs drop fifo frame compressed multicast; tx:
    // bytes packets ...
    int64_t v = 0;
    for (int i = 0; i < 10; ++i) fields >> v;
    return fields ? v : -1;
  }
  return -1;
}

// One flow end to end: route, sender, receiver and what arrived.
struct Flow {
  net::SenderSocketOptions options;
  std::optional<net::SendRoute> route;
  std::unique_ptr<ProbeSender> sender;
  std::optional<net::ReceiverSocket> receiver;
  std::vector<Got> got;
};

std::unique_ptr<Flow> MakeFlow(const FlowSpec& spec, uint16_t port, double pps,
                               std::optional<uint64_t> count, uint32_t id,
                               int64_t start) {
  auto f = std::make_unique<Flow>();
  f->options.group = Ip(spec.group);
  f->options.port = port;
  f->options.interface = spec.interface;
  if (spec.source) f->options.source = Ip(spec.source);
  f->options.ttl = spec.ttl;
  f->options.dscp = spec.dscp;
  f->options.loopback = spec.loopback;
  absl::StatusOr<net::SendRoute> route = net::SendRoute::Open(f->options);
  EXPECT_TRUE(route.ok()) << route.status();
  if (!route.ok()) return nullptr;
  f->route.emplace(*std::move(route));
  ProbeSenderOptions so;
  so.packets_per_second = pps;
  so.count = count;
  so.sender_id = id;
  so.ttl = static_cast<uint8_t>(spec.ttl);
  so.dscp = static_cast<uint8_t>(spec.dscp);
  f->sender = std::make_unique<ProbeSender>(so, nullptr, start);
  net::ReceiverSocketOptions ro;
  ro.group = f->options.group;
  ro.port = port;
  ro.interface = spec.interface;
  absl::StatusOr<net::ReceiverSocket> r = net::ReceiverSocket::Open(ro);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return nullptr;
  f->receiver.emplace(*std::move(r));
  return f;
}

bool RunUntil(net::EventLoop& loop, std::function<bool()> done) {
  const absl::Time deadline = absl::Now() + kPatience;
  while (!done() && absl::Now() < deadline) {
    if (!loop.RunOnce(absl::Milliseconds(20)).ok()) return false;
  }
  return done();
}

TEST(SendRouteTest, ClassesAndSourceChecks) {
  net::SenderSocketOptions o;
  o.group = Ip("239.31.0.1");
  o.ttl = 0;
  absl::StatusOr<net::SendRoute> r = net::SendRoute::Open(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->socket_class().ttl_zero);
  EXPECT_TRUE(r->socket_class().loopback);
  EXPECT_EQ(r->interface_name(), "lo");  // Routing's choice, display only.
  o.ttl = 5;
  o.loopback = false;
  r = net::SendRoute::Open(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->socket_class().ttl_zero);
  EXPECT_FALSE(r->socket_class().loopback);
  // TTL 1 and DSCP 0 are the shared socket's own: only IP_PKTINFO goes per
  // message, small enough for the kernel's on-stack control buffer.
  o.ttl = 1;
  o.interface = "lo";
  r = net::SendRoute::Open(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->control_length(), CMSG_SPACE(sizeof(in_pktinfo)));
  o.dscp = 1;
  r = net::SendRoute::Open(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->control_length(),
            CMSG_SPACE(sizeof(in_pktinfo)) + CMSG_SPACE(sizeof(int)));
  o.dscp = 0;
  o.interface = "";
  // A source that is not local fails at open, with SenderSocket's text.
  o.source = Ip("192.0.2.9");
  r = net::SendRoute::Open(o);
  EXPECT_TRUE(absl::IsNotFound(r.status())) << r.status();
  EXPECT_EQ(r.status().message(),
            "cannot bind sender to 192.0.2.9: not an address of this host");
  o.source = {};
  o.interface = "nosuch0";
  EXPECT_TRUE(absl::IsNotFound(net::SendRoute::Open(o).status()));
}

// Four flows: two on lo with their own TTL and DSCP, one on a veth, one
// routed (no interface) from 127.0.0.2. One socket, batches across flows,
// exact counts and the marks each flow asked for.
TEST(SendSchedulerTest, FlowsWithOwnTtlDscpInterfaceShareOneSocket) {
  Veth veth;
  ASSERT_TRUE(veth.ok());
  auto loop = net::EventLoop::Create();
  ASSERT_TRUE(loop.ok());
  SendSchedulerOptions so;
  so.loop = loop->get();
  auto scheduler = SendScheduler::Create(so);
  ASSERT_TRUE(scheduler.ok()) << scheduler.status();
  const std::vector<FlowSpec> specs = {
      {"239.30.0.1", "lo", nullptr, 7, 46},
      {"239.30.0.2", "lo", nullptr, 3, 10},
      {"239.30.0.3", "mss0", nullptr, 9, 0},
      {"239.30.0.4", "", "127.0.0.2", 64, 34},
      // The sockets' own TTL and TOS: no IP_TTL / IP_TOS message.
      {"239.30.0.5", "lo", nullptr, 1, 0},
  };
  constexpr uint64_t kCount = 60;
  const int64_t start = net::MonotonicNanos();
  std::vector<std::unique_ptr<Flow>> flows;
  for (size_t i = 0; i < specs.size(); ++i) {
    flows.push_back(MakeFlow(specs[i], static_cast<uint16_t>(21100 + i), 500,
                             kCount, static_cast<uint32_t>(100 + i), start));
    ASSERT_NE(flows.back(), nullptr);
    Flow* f = flows.back().get();
    ASSERT_TRUE(
        (*loop)
            ->AddReader(f->receiver->fd(), [f] { Drain(*f->receiver, f->got); })
            .ok());
    (*scheduler)->Add(f->sender.get(), &*f->route, "no route");
  }
  ASSERT_TRUE(RunUntil(**loop, [&] {
    for (auto& f : flows) {
      if (f->got.size() < kCount) return false;
    }
    return true;
  }));
  absl::SleepFor(absl::Milliseconds(50));
  for (auto& f : flows) Drain(*f->receiver, f->got);
  uint16_t port = flows[0]->got[0].source_port;
  for (size_t i = 0; i < flows.size(); ++i) {
    SCOPED_TRACE(specs[i].group);
    const Flow& f = *flows[i];
    EXPECT_EQ(f.sender->counters().packets, kCount);
    EXPECT_EQ(f.sender->counters().errors, 0u);
    ASSERT_EQ(f.got.size(), kCount);
    for (uint64_t k = 0; k < kCount; ++k) {
      EXPECT_EQ(f.got[k].sequence, k);
      EXPECT_EQ(f.got[k].sender_id, 100 + i);
      EXPECT_EQ(f.got[k].ttl, specs[i].ttl);
      EXPECT_EQ(f.got[k].tos, specs[i].dscp << 2);
      EXPECT_EQ(f.got[k].source_port, port);  // One shared socket.
    }
  }
  EXPECT_EQ(flows[0]->got[0].source, Ip("127.0.0.1"));
  EXPECT_EQ(flows[2]->got[0].source, Ip("10.78.0.1"));
  EXPECT_EQ(flows[3]->got[0].source, Ip("127.0.0.2"));
  // Only the loopback, TTL>0 socket was needed.
  EXPECT_NE((*scheduler)->socket({AF_INET, true, false}), nullptr);
  EXPECT_EQ((*scheduler)->socket({AF_INET, false, false}), nullptr);
  EXPECT_EQ((*scheduler)->socket({AF_INET, true, true}), nullptr);
  // Same rate and phase: the four flows leave together.
  const SendScheduler::Stats& st = (*scheduler)->stats();
  EXPECT_LE(st.sendmmsg_calls, 2 * kCount) << st.wakeups << " wake-ups";
}

// IPv6 on the shared path: per-message IPV6_HOPLIMIT (0 included),
// IPV6_TCLASS and IPV6_PKTINFO. Four flows: two on lo (one from ::1 with
// hop limit 0), one on the veth and one on lo with multicast loop off (its
// own socket). Each receiver sees exactly its flow's hop limit, traffic
// class and source; the veth flow leaves through the veth, chosen by
// ipi6_ifindex alone (the group is site-scoped, so the destination's scope
// id does not pick the device, and the shared socket has no
// IPV6_MULTICAST_IF): the veth's transmit counter moves by its packets.
TEST(SendSchedulerTest, Ipv6FlowsWithOwnHopLimitTrafficClassSourceAndDevice) {
  Veth veth;
  ASSERT_TRUE(veth.ok());
  auto loop = net::EventLoop::Create();
  ASSERT_TRUE(loop.ok());
  SendSchedulerOptions so;
  so.loop = loop->get();
  auto scheduler = SendScheduler::Create(so);
  ASSERT_TRUE(scheduler.ok()) << scheduler.status();
  const std::vector<FlowSpec> specs = {
      {"ff3e::8000:31", "lo", nullptr, 7, 46},
      {"ff3e::8000:32", "lo", "::1", 0, 10},
      {"ff15::31:3", "mss0", nullptr, 9, 0},
      {"ff3e::8000:34", "lo", nullptr, 64, 34, false},
      // The socket's own hop limit and class: no IPV6_HOPLIMIT / TCLASS.
      {"ff3e::8000:35", "lo", nullptr, 1, 0},
  };
  constexpr uint64_t kCount = 60;
  std::vector<std::unique_ptr<Flow>> flows;
  for (size_t i = 0; i < specs.size(); ++i) {
    flows.push_back(MakeFlow(specs[i], static_cast<uint16_t>(21400 + i), 500,
                             kCount, static_cast<uint32_t>(200 + i), 0));
    ASSERT_NE(flows.back(), nullptr);
    EXPECT_EQ(flows.back()->route->socket_class(),
              (net::SendSocketClass{AF_INET6, specs[i].loopback, false}));
  }
  // Joined (MLD reports sent) before counting.
  absl::SleepFor(absl::Milliseconds(50));
  const int64_t veth_before = TxPackets("mss0");
  const int64_t lo_before = TxPackets("lo");
  ASSERT_GE(veth_before, 0);
  ASSERT_GE(lo_before, 0);
  const int64_t start = net::MonotonicNanos();
  for (size_t i = 0; i < flows.size(); ++i) {
    Flow* f = flows[i].get();
    // Same start for all: they are due together.
    ProbeSenderOptions po;
    po.packets_per_second = 500;
    po.count = kCount;
    po.sender_id = static_cast<uint32_t>(200 + i);
    po.ttl = static_cast<uint8_t>(specs[i].ttl);
    po.dscp = static_cast<uint8_t>(specs[i].dscp);
    f->sender = std::make_unique<ProbeSender>(po, nullptr, start);
    ASSERT_TRUE(
        (*loop)
            ->AddReader(f->receiver->fd(), [f] { Drain(*f->receiver, f->got); })
            .ok());
    (*scheduler)->Add(f->sender.get(), &*f->route, "no route");
  }
  ASSERT_TRUE(RunUntil(**loop, [&] {
    for (auto& f : flows) {
      if (f->got.size() < kCount) return false;
    }
    return true;
  }));
  absl::SleepFor(absl::Milliseconds(50));
  for (auto& f : flows) Drain(*f->receiver, f->got);
  const int64_t veth_sent = TxPackets("mss0") - veth_before;
  const int64_t lo_sent = TxPackets("lo") - lo_before;

  const uint16_t port = flows[0]->got[0].source_port;
  const std::vector<const char*> sources = {"2001:db8::2", "::1", "fd00:78::1",
                                            "2001:db8::2", "2001:db8::2"};
  for (size_t i = 0; i < flows.size(); ++i) {
    SCOPED_TRACE(specs[i].group);
    const Flow& f = *flows[i];
    EXPECT_EQ(f.sender->counters().packets, kCount);
    EXPECT_EQ(f.sender->counters().errors, 0u)
        << f.sender->counters().last_error;
    ASSERT_EQ(f.got.size(), kCount);
    for (uint64_t k = 0; k < kCount; ++k) {
      EXPECT_EQ(f.got[k].sequence, k);
      EXPECT_EQ(f.got[k].sender_id, 200 + i);
      EXPECT_EQ(f.got[k].ttl, specs[i].ttl);
      EXPECT_EQ(f.got[k].tos, specs[i].dscp << 2);
      EXPECT_EQ(f.got[k].source, Ip(sources[i]));
      // The loop-on flows share one socket; the loop-off one has another.
      if (specs[i].loopback) {
        EXPECT_EQ(f.got[k].source_port, port);
      } else {
        EXPECT_NE(f.got[k].source_port, port);
      }
    }
  }
  // The veth flow's packets left through the veth (and a straggling MLD
  // report at most); the lo flows' through lo.
  EXPECT_GE(veth_sent, static_cast<int64_t>(kCount));
  EXPECT_LE(veth_sent, static_cast<int64_t>(kCount) + 4);
  EXPECT_GE(lo_sent, static_cast<int64_t>(4 * kCount));
  EXPECT_NE((*scheduler)->socket({AF_INET6, true, false}), nullptr);
  EXPECT_NE((*scheduler)->socket({AF_INET6, false, false}), nullptr);
  EXPECT_EQ((*scheduler)->socket({AF_INET, true, false}), nullptr);
  EXPECT_EQ((*scheduler)->socket({AF_INET, false, false}), nullptr);
}

// An IPv6 route checks as SenderSocket does: a source that is not local
// fails at open with its text, a source of the other family is refused.
TEST(SendRouteTest, Ipv6ClassAndSourceChecks) {
  net::SenderSocketOptions o;
  o.group = Ip("ff3e::8000:40");
  o.ttl = 0;
  o.interface = "lo";
  absl::StatusOr<net::SendRoute> r = net::SendRoute::Open(o);
  ASSERT_TRUE(r.ok()) << r.status();
  // Hop limit 0 goes per message: no TTL-0 class for IPv6.
  EXPECT_EQ(r->socket_class(), (net::SendSocketClass{AF_INET6, true, false}));
  EXPECT_EQ(r->destination()->sa_family, AF_INET6);
  o.source = Ip("2001:db8::99");
  r = net::SendRoute::Open(o);
  EXPECT_TRUE(absl::IsNotFound(r.status())) << r.status();
  EXPECT_EQ(r.status().message(),
            "cannot bind sender to 2001:db8::99: not an address of this host");
  o.source = Ip("127.0.0.1");
  EXPECT_TRUE(absl::IsInvalidArgument(net::SendRoute::Open(o).status()));
  EXPECT_FALSE(
      net::SharedSendSocket::Open({AF_INET6, true, /*ttl_zero=*/true}).ok());
}

// Per-message results: a flow whose interface is gone fails alone, and
// its later messages in the batch are not sent (its sequence must count
// only packets that left); the other flows' messages after it still go.
TEST(SharedSendSocketTest, FailedMessageIsAttributedAndTheRestGoOn) {
  auto veth = std::make_unique<Veth>();
  ASSERT_TRUE(veth->ok());
  std::unique_ptr<Flow> a =
      MakeFlow({"239.32.0.1", "lo", nullptr, 4, 8}, 21201, 1, 1, 1, 0);
  std::unique_ptr<Flow> c =
      MakeFlow({"239.32.0.3", "lo", nullptr, 5, 12}, 21203, 1, 1, 3, 0);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(c, nullptr);
  net::SenderSocketOptions bo;
  bo.group = Ip("239.32.0.2");
  bo.port = 21202;
  bo.interface = "mss0";
  absl::StatusOr<net::SendRoute> b = net::SendRoute::Open(bo);
  ASSERT_TRUE(b.ok()) << b.status();
  veth->Remove();  // b's interface index no longer exists.

  absl::StatusOr<net::SharedSendSocket> sock =
      net::SharedSendSocket::Open(a->route->socket_class());
  ASSERT_TRUE(sock.ok()) << sock.status();
  std::vector<uint8_t> d(64);
  packet::Header h;
  h.sender_id = 1;  // 0 is not a valid probe.
  ASSERT_TRUE(packet::EncodeDatagram(h, absl::MakeSpan(d)));
  const std::vector<net::SharedSendMessage> m = {
      {&*a->route, d, 1}, {&*b, d, 2},        {&*a->route, d, 1},
      {&*b, d, 2},        {&*c->route, d, 3},
  };
  std::vector<int> errors(m.size(), 12345);
  const int calls = sock->Send(m, absl::MakeSpan(errors));
  EXPECT_NE(errors[1], 0);  // ENETUNREACH or ENODEV, as the kernel says.
  EXPECT_EQ(errors, (std::vector<int>{0, errors[1], 0, errors[1], 0}));
  // One call up to b's first message, one refused, one for the rest.
  EXPECT_EQ(calls, 3);
  absl::SleepFor(absl::Milliseconds(50));
  Drain(*a->receiver, a->got);
  Drain(*c->receiver, c->got);
  EXPECT_EQ(a->got.size(), 2u);
  ASSERT_EQ(c->got.size(), 1u);
  EXPECT_EQ(c->got[0].ttl, 5);
  EXPECT_EQ(c->got[0].tos, 12 << 2);
}

// Through the scheduler: the flow on the removed veth counts errors with
// the reason, the flow on lo goes on with none and exact counts.
TEST(SendSchedulerTest, FlowWhoseInterfaceGoesAwayFailsAlone) {
  auto veth = std::make_unique<Veth>();
  ASSERT_TRUE(veth->ok());
  auto loop = net::EventLoop::Create();
  ASSERT_TRUE(loop.ok());
  SendSchedulerOptions so;
  so.loop = loop->get();
  auto scheduler = SendScheduler::Create(so);
  ASSERT_TRUE(scheduler.ok()) << scheduler.status();
  const int64_t start = net::MonotonicNanos();
  std::unique_ptr<Flow> lo = MakeFlow({"239.33.0.1", "lo", nullptr, 2, 0},
                                      21301, 1000, std::nullopt, 1, start);
  std::unique_ptr<Flow> gone = MakeFlow({"239.33.0.2", "mss0", nullptr, 2, 0},
                                        21302, 1000, std::nullopt, 2, start);
  ASSERT_NE(lo, nullptr);
  ASSERT_NE(gone, nullptr);
  Flow* l = lo.get();
  ASSERT_TRUE(
      (*loop)
          ->AddReader(l->receiver->fd(), [l] { Drain(*l->receiver, l->got); })
          .ok());
  const SendScheduler::FlowId lo_id =
      (*scheduler)->Add(lo->sender.get(), &*lo->route, "no route");
  const SendScheduler::FlowId gone_id =
      (*scheduler)->Add(gone->sender.get(), &*gone->route, "no route");
  ASSERT_TRUE(RunUntil(**loop, [&] { return l->got.size() >= 100; }));
  EXPECT_EQ(gone->sender->counters().errors, 0u);
  gone->receiver.reset();
  veth->Remove();
  const uint64_t before = gone->sender->counters().packets;
  ASSERT_TRUE(RunUntil(**loop, [&] { return l->got.size() >= 300; }));
  (*scheduler)->Remove(lo_id);
  (*scheduler)->Remove(gone_id);
  EXPECT_EQ((*scheduler)->flows(), 0u);
  absl::SleepFor(absl::Milliseconds(50));
  Drain(*l->receiver, l->got);

  const SenderCounters& g = gone->sender->counters();
  EXPECT_GT(g.errors, 50u);
  EXPECT_EQ(g.packets, before);  // Nothing left after the removal.
  EXPECT_EQ(g.packets + g.errors, gone->sender->pacer().sent());
  // ENETUNREACH (its source address went with it) or ENODEV: the kernel's
  // choice, the same as for a socket of its own.
  EXPECT_EQ(g.last_error.rfind("sendmmsg to 239.33.0.2: ", 0), 0u)
      << g.last_error;
  const SenderCounters& c = lo->sender->counters();
  EXPECT_EQ(c.errors, 0u);
  EXPECT_EQ(c.packets, lo->sender->pacer().sent());
  ASSERT_EQ(l->got.size(), c.packets);
  for (uint64_t k = 0; k < l->got.size(); ++k) {
    ASSERT_EQ(l->got[k].sequence, k);
  }
}

}  // namespace
}  // namespace mcast::probe
