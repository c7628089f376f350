// mcast_ts_listen: a test-only receiver that feeds every datagram of a
// group to streams::MpegTsAnalyzer and prints its snapshot as JSON, so the
// shell tests can check the analyser on real sockets (ffmpeg, the
// injector) independently of mcast-receive's plumbing.
//
//   mcast_ts_listen GROUP PORT [--rtp] [--idle-ms N] [--max-seconds N]
//
// Joins GROUP on the interface of 127.0.0.1 (run it in a namespace whose
// loopback carries multicast: topo_lo) and exits once it has received
// something and then nothing for --idle-ms (default 1000), or after
// --max-seconds (default 30).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "streams/mpegts_analyzer.h"

namespace {

int64_t MonoNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

int Usage() {
  std::fprintf(stderr,
               "usage: mcast_ts_listen GROUP PORT [--rtp] [--idle-ms N] "
               "[--max-seconds N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return Usage();
  mcast::streams::MpegTsLimits limits;
  int idle_ms = 1000;
  int max_seconds = 30;
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rtp") {
      limits.rtp = true;
    } else if (a == "--idle-ms" && i + 1 < argc) {
      idle_ms = std::atoi(argv[++i]);
    } else if (a == "--max-seconds" && i + 1 < argc) {
      max_seconds = std::atoi(argv[++i]);
    } else {
      return Usage();
    }
  }
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  const int buffer = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof(buffer));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[2])));
  if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) return Usage();
  ip_mreq mreq{};
  mreq.imr_multiaddr = addr.sin_addr;
  inet_pton(AF_INET, "127.0.0.1", &mreq.imr_interface);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) != 0) {
    std::perror("mcast_ts_listen: bind/join");
    return 1;
  }

  mcast::streams::MpegTsAnalyzer analyzer(limits);
  std::vector<uint8_t> buf(65536);
  const int64_t deadline = MonoNs() + int64_t{max_seconds} * 1'000'000'000;
  bool got = false;
  while (MonoNs() < deadline) {
    pollfd p{fd, POLLIN, 0};
    const int r = poll(&p, 1, got ? idle_ms : 200);
    if (r == 0 && got) break;
    if (r <= 0) continue;
    const ssize_t n = recv(fd, buf.data(), buf.size(), 0);
    if (n < 0) continue;
    got = true;
    analyzer.OnDatagram(absl::MakeConstSpan(buf.data(), size_t(n)), MonoNs());
  }

  const mcast::streams::MpegTsSnapshot s = analyzer.Snapshot(MonoNs());
  std::printf(
      "{\"datagrams\": %lu, \"ts_packets\": %lu, \"null_packets\": %lu, "
      "\"sync_byte_errors\": %lu, \"pat_errors\": %lu, "
      "\"continuity_count_errors\": %lu, \"transport_errors\": %lu, "
      "\"duplicate_packets\": %lu, \"discontinuities\": %lu, "
      "\"misaligned_datagrams\": %lu, \"rtp_header_errors\": %lu, "
      "\"pids_seen\": %u, \"pids\": [",
      s.datagrams, s.ts_packets, s.null_packets, s.sync_byte_errors,
      s.pat_errors, s.continuity_count_errors, s.transport_errors,
      s.duplicate_packets, s.discontinuities, s.misaligned_datagrams,
      s.rtp_header_errors, s.pids_seen);
  for (size_t i = 0; i < s.pids.size(); ++i) {
    const auto& e = s.pids[i];
    std::printf(
        "%s{\"pid\": %u, \"packets\": %lu, "
        "\"continuity_count_errors\": %lu}",
        i ? ", " : "", e.pid, e.packets, e.continuity_count_errors);
  }
  std::printf("]}\n");
  close(fd);
  return 0;
}
