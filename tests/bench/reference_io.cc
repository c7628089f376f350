// The reference for bench_exporter_scale.sh: the packet I/O of N probe
// sender flows and N receiver flows, as cheaply as this kernel allows, and
// nothing else. The benchmark divides mcast-exporter's CPU by this program's
// CPU for the same traffic in the same namespace and run, so the kernel's own
// UDP cost (on lo the receive path runs in the sender's context) cancels out.
//
// What it does, per second: flows x rate datagrams of `size` bytes, each flow
// to its own group (base group + i) and paced on its own phase; each flow's
// group joined by its own socket, as a multicast receiver of one (S,G) or
// (*,G) needs. One thread, one epoll, one timerfd ticking every `tick`; every
// datagram due at a tick leaves in sendmmsg batches from one socket with
// per-message destinations; readable receivers are drained with recvmmsg
// until a short batch. No statistics, no timestamps, no allocation after
// start. Only libc: it shares no code with the project.
//
//   mcast_bench_reference --flows 500 --rate 25 --seconds 30 [--size 200]
//       [--group 239.10.0.0] [--port 19800] [--interface lo] [--tick-us 1000]
//       [--no-receive] [--no-send] [--per-flow-send]
//
// --per-flow-send: a send socket per flow and one send call per datagram, as
// a probe that owns its socket does; measures what sharing one socket and
// batching across flows saves.
//
// --ts: every datagram is 7 valid 188-byte MPEG-TS packets (size 1316), a
// PAT (PID 0) in the first slot of every 100th datagram and a null packet
// in the others' first slot, then 6 packets of PID 0x100 with continuity
// counters running on without a gap, per flow: a TS receiver counts no
// error. The receive benchmark's TS sender (bench_receive_decode.sh).
//
// Prints one line: flows rate seconds sent received cpu_user_s cpu_sys_s.

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "unit/ts_packet_builder.h"

namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "mcast_bench_reference: %s: %s\n", what,
               std::strerror(errno));
  std::exit(1);
}

int64_t NowNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

struct Options {
  int flows = 100;
  double rate = 25;
  double seconds = 10;
  int size = 200;
  std::string group = "239.10.0.0";
  int port = 19800;
  std::string interface = "lo";
  int tick_us = 1000;
  bool receive = true;
  bool send = true;
  bool per_flow_send = false;
  bool ts = false;
};

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "mcast_bench_reference: %s needs a value\n",
                     a.c_str());
        std::exit(64);
      }
      return argv[++i];
    };
    if (a == "--flows")
      o.flows = std::atoi(next());
    else if (a == "--rate")
      o.rate = std::atof(next());
    else if (a == "--seconds")
      o.seconds = std::atof(next());
    else if (a == "--size")
      o.size = std::atoi(next());
    else if (a == "--group")
      o.group = next();
    else if (a == "--port")
      o.port = std::atoi(next());
    else if (a == "--interface")
      o.interface = next();
    else if (a == "--tick-us")
      o.tick_us = std::atoi(next());
    else if (a == "--no-receive")
      o.receive = false;
    else if (a == "--no-send")
      o.send = false;
    else if (a == "--per-flow-send")
      o.per_flow_send = true;
    else if (a == "--ts")
      o.ts = true;
    else {
      std::fprintf(stderr, "mcast_bench_reference: unknown argument %s\n",
                   a.c_str());
      std::exit(64);
    }
  }
  if (o.ts) o.size = 7 * 188;
  if (o.flows < 1 || o.rate <= 0 || o.size < 8 || o.size > 65507 ||
      o.tick_us < 1) {
    std::fprintf(stderr, "mcast_bench_reference: bad arguments\n");
    std::exit(64);
  }
  return o;
}

in_addr GroupOf(const Options& o, int i) {
  in_addr base{};
  if (inet_pton(AF_INET, o.group.c_str(), &base) != 1) {
    std::fprintf(stderr, "mcast_bench_reference: bad group %s\n",
                 o.group.c_str());
    std::exit(64);
  }
  base.s_addr = htonl(ntohl(base.s_addr) + static_cast<uint32_t>(i));
  return base;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = Parse(argc, argv);
  const unsigned ifindex = if_nametoindex(o.interface.c_str());
  if (ifindex == 0) Die("if_nametoindex");

  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) Die("epoll_create1");

  // Receivers: one socket per group, bound to the group (so each sees only
  // its own flow), joined on the interface.
  std::vector<int> rx;
  if (o.receive) {
    for (int i = 0; i < o.flows; ++i) {
      int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (fd < 0) Die("socket");
      int one = 1;
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      sockaddr_in sa{};
      sa.sin_family = AF_INET;
      sa.sin_port = htons(static_cast<uint16_t>(o.port));
      sa.sin_addr = GroupOf(o, i);
      if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0)
        Die("bind");
      ip_mreqn mreq{};
      mreq.imr_multiaddr = sa.sin_addr;
      mreq.imr_ifindex = static_cast<int>(ifindex);
      if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq))
        Die("IP_ADD_MEMBERSHIP");
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u32 = static_cast<uint32_t>(i);
      if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) Die("epoll_ctl");
      rx.push_back(fd);
    }
  }

  // Sender: one socket, every flow's datagrams with their own destination.
  int tx = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (tx < 0) Die("socket");
  {
    ip_mreqn mif{};
    mif.imr_ifindex = static_cast<int>(ifindex);
    if (setsockopt(tx, IPPROTO_IP, IP_MULTICAST_IF, &mif, sizeof mif))
      Die("IP_MULTICAST_IF");
    int ttl = 1;
    setsockopt(tx, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
    int loop = 1;
    setsockopt(tx, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop);
  }
  std::vector<int> per_flow_tx;
  for (int i = 0; o.per_flow_send && i < o.flows; ++i) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) Die("socket");
    ip_mreqn mif{};
    mif.imr_ifindex = static_cast<int>(ifindex);
    if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mif, sizeof mif))
      Die("IP_MULTICAST_IF");
    int ttl = 1;
    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
    per_flow_tx.push_back(fd);
  }
  std::vector<sockaddr_in> dest(static_cast<size_t>(o.flows));
  for (int i = 0; i < o.flows; ++i) {
    dest[i].sin_family = AF_INET;
    dest[i].sin_port = htons(static_cast<uint16_t>(o.port));
    dest[i].sin_addr = GroupOf(o, i);
  }

  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (tfd < 0) Die("timerfd_create");
  {
    itimerspec its{};
    its.it_interval.tv_nsec = o.tick_us * 1000L;
    its.it_value.tv_nsec = o.tick_us * 1000L;
    if (timerfd_settime(tfd, 0, &its, nullptr) != 0) Die("timerfd_settime");
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = UINT32_MAX;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev) != 0) Die("epoll_ctl");
  }

  constexpr int kBatch = 64;
  const int64_t start = NowNs();
  const int64_t end = start + static_cast<int64_t>(o.seconds * 1e9);
  const int64_t interval = static_cast<int64_t>(1e9 / o.rate);
  // Flow i's next deadline; phases spread over one interval, as probes
  // started one after another are.
  std::vector<int64_t> next(static_cast<size_t>(o.flows));
  for (int i = 0; i < o.flows; ++i) next[i] = start + interval * i / o.flows;

  // Send buffers: one payload per batch slot is enough (the content does
  // not matter to the kernel), with per-message destinations.
  std::vector<char> payload(static_cast<size_t>(o.size), 'x');
  std::vector<iovec> tx_iov(1024);
  std::vector<mmsghdr> tx_msgs(1024);
  for (auto& v : tx_iov) v = {payload.data(), payload.size()};
  // --ts: a buffer per batch slot, since the continuity counters differ.
  std::vector<unsigned char> ts_buf;
  std::vector<uint64_t> ts_count(o.ts ? static_cast<size_t>(o.flows) : 0);
  // The analyser tests' own packets (unit/ts_packet_builder.h, written from
  // the standard): a PAT section on PID 0, a null packet, video on 0x100.
  const auto pat = mcast::ts_test::TsPacket({.pid = 0, .table_id = 0});
  const auto null_packet = mcast::ts_test::TsPacket({.pid = 0x1FFF});
  const auto video = mcast::ts_test::TsPacket({.pid = 0x100});
  if (o.ts) {
    ts_buf.assign(tx_iov.size() * 1316, 0xFF);
    for (size_t k = 0; k < tx_iov.size(); ++k) {
      unsigned char* d = ts_buf.data() + k * 1316;
      for (int p = 1; p < 7; ++p) std::memcpy(d + p * 188, video.data(), 188);
      tx_iov[k] = {d, 1316};
    }
  }
  // Flow i's next TS datagram into batch slot k.
  auto fill_ts = [&](int k, int i) {
    unsigned char* d = ts_buf.data() + static_cast<size_t>(k) * 1316;
    const uint64_t n = ts_count[i]++;
    if (n % 100 == 0) {
      std::memcpy(d, pat.data(), 188);
      d[3] = static_cast<unsigned char>(0x10 | ((n / 100) & 0x0F));
    } else {
      std::memcpy(d, null_packet.data(), 188);
    }
    for (int p = 1; p < 7; ++p) {
      d[p * 188 + 3] =
          static_cast<unsigned char>(0x10 | ((n * 6 + p - 1) & 0x0F));
    }
  };
  std::vector<char> rx_buf(static_cast<size_t>(kBatch) * 2048);
  iovec rx_iov[kBatch];
  mmsghdr rx_msgs[kBatch];
  for (int k = 0; k < kBatch; ++k) {
    rx_iov[k] = {rx_buf.data() + k * 2048, 2048};
    std::memset(&rx_msgs[k], 0, sizeof rx_msgs[k]);
    rx_msgs[k].msg_hdr.msg_iov = &rx_iov[k];
    rx_msgs[k].msg_hdr.msg_iovlen = 1;
  }

  uint64_t sent = 0, received = 0;
  epoll_event events[256];
  const bool sending = o.send;
  for (;;) {
    int n = epoll_wait(ep, events, 256, 100);
    if (n < 0) {
      if (errno == EINTR) continue;
      Die("epoll_wait");
    }
    for (int e = 0; e < n; ++e) {
      uint32_t id = events[e].data.u32;
      if (id == UINT32_MAX) {
        uint64_t expirations;
        (void)!read(tfd, &expirations, sizeof expirations);
        if (!sending) continue;
        const int64_t now = NowNs();
        int batch = 0;
        auto flush = [&] {
          int off = 0;
          while (off < batch) {
            int s = sendmmsg(tx, tx_msgs.data() + off,
                             static_cast<unsigned>(batch - off), 0);
            if (s <= 0) break;  // a full buffer drops, as a probe would
            off += s;
          }
          sent += static_cast<uint64_t>(off);
          batch = 0;
        };
        for (int i = 0; i < o.flows; ++i) {
          while (o.per_flow_send && next[i] <= now && next[i] < end) {
            mmsghdr m{};
            m.msg_hdr.msg_name = &dest[i];
            m.msg_hdr.msg_namelen = sizeof dest[i];
            if (o.ts) fill_ts(0, i);
            m.msg_hdr.msg_iov = &tx_iov[0];
            m.msg_hdr.msg_iovlen = 1;
            if (sendmmsg(per_flow_tx[i], &m, 1, 0) == 1) ++sent;
            next[i] += interval;
          }
          while (next[i] <= now && next[i] < end) {
            mmsghdr& m = tx_msgs[batch];
            std::memset(&m, 0, sizeof m);
            m.msg_hdr.msg_name = &dest[i];
            m.msg_hdr.msg_namelen = sizeof dest[i];
            if (o.ts) fill_ts(batch, i);
            m.msg_hdr.msg_iov = &tx_iov[batch];
            m.msg_hdr.msg_iovlen = 1;
            next[i] += interval;
            if (++batch == static_cast<int>(tx_msgs.size())) flush();
          }
        }
        if (batch > 0) flush();
        continue;
      }
      for (;;) {
        int r = recvmmsg(rx[id], rx_msgs, kBatch, MSG_DONTWAIT, nullptr);
        if (r <= 0) break;
        received += static_cast<uint64_t>(r);
        if (r < kBatch) break;
      }
    }
    // Past the end, give late datagrams a moment, then stop.
    if (NowNs() > end + 200000000) break;
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("%d %g %g %llu %llu %.3f %.3f\n", o.flows, o.rate, o.seconds,
              static_cast<unsigned long long>(sent),
              static_cast<unsigned long long>(received),
              ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
              ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
  return 0;
}
