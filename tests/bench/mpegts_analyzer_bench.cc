// mcast_bench_mpegts: the cost of analysing a TS datagram (7 x 188 bytes,
// over UDP and over RTP) next to the cost of decoding a probe datagram
// (packet::DecodeHeader + the statistics engine, probe::FeedDatagram), in
// the same process and run, so the ratio holds on a noisy shared machine.
// Not a test (no timing assertion); tests/bench/RESULTS.md has the figures.
//
//   mcast_bench_mpegts [DATAGRAMS]   (default 2000000 per case, 3 rounds)
//
// Prints per case the median ns per datagram and the datagrams per second
// one core sustains, and the TS/probe ratio. For instruction counts that do
// not depend on load, run one case under `perf stat -e instructions` with
// MCAST_BENCH_CASE=probe|ts_udp|ts_rtp.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "inet/ip_address.h"
#include "net/receive_buffers.h"
#include "packet/header.h"
#include "probe/probe_receiver.h"
#include "stats/receiver_stats.h"
#include "streams/mpegts_analyzer.h"

namespace {

using Clock = std::chrono::steady_clock;

// A realistic TS datagram: a video PID with adaptation fields (PCR) now and
// then, an audio PID, a PAT every 16th datagram.
std::vector<uint8_t> TsPayload(uint32_t i, uint8_t* cc_video,
                               uint8_t* cc_audio) {
  std::vector<uint8_t> d(7 * 188, 0xFF);
  for (int k = 0; k < 7; ++k) {
    uint8_t* p = d.data() + 188 * k;
    uint16_t pid = k == 6 ? 0x101 : 0x100;
    uint8_t* cc = k == 6 ? cc_audio : cc_video;
    uint8_t afc = 0x10;
    if (k == 0 && i % 16 == 0) pid = 0;
    if (k == 1) afc = 0x30;
    p[0] = 0x47;
    p[1] = static_cast<uint8_t>((pid == 0 ? 0x40 : 0) | pid >> 8);
    p[2] = static_cast<uint8_t>(pid);
    p[3] = static_cast<uint8_t>(afc | ((pid == 0 ? i / 16 : (*cc)++) & 0x0F));
    if (afc == 0x30) {
      p[4] = 7;
      p[5] = 0x10;  // PCR flag
    }
    if (pid == 0) {
      p[4] = 0;  // pointer_field
      p[5] = 0;  // table_id
    }
  }
  return d;
}

// Datagrams are prepared up front (a ring of 1024) and only their counters
// patched while timing, as a socket would hand them in.
struct Ring {
  std::vector<std::vector<uint8_t>> datagrams;
};

Ring MakeTsRing(bool rtp) {
  Ring r;
  uint8_t cv = 0, ca = 0;
  for (uint32_t i = 0; i < 1024; ++i) {
    std::vector<uint8_t> ts = TsPayload(i, &cv, &ca);
    if (rtp) {
      const uint8_t h[12] = {
          0x80, 33, uint8_t(i >> 8), uint8_t(i), 0, 0, 0, 0, 1, 2, 3, 4};
      std::vector<uint8_t> d(sizeof(h) + ts.size());
      std::memcpy(d.data(), h, sizeof(h));
      std::memcpy(d.data() + sizeof(h), ts.data(), ts.size());
      ts = std::move(d);
    }
    r.datagrams.push_back(std::move(ts));
  }
  return r;
}

double RunTs(bool rtp, uint64_t n) {
  Ring ring = MakeTsRing(rtp);
  mcast::streams::MpegTsLimits limits;
  limits.rtp = rtp;
  mcast::streams::MpegTsAnalyzer a(limits);
  // A lap of 1024 datagrams carries 6 * 1024 - 64 video, 1024 audio and 64
  // PAT packets, all multiples of 16: the counters continue across laps.
  const auto start = Clock::now();
  for (uint64_t i = 0; i < n; ++i) {
    a.OnDatagram(ring.datagrams[i & 1023], static_cast<int64_t>(i) * 10'000);
  }
  const double ns =
      std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  const auto s = a.Snapshot(static_cast<int64_t>(n) * 10'000);
  if (s.continuity_count_errors != 0 || s.ts_packets != 7 * n) {
    std::fprintf(stderr, "bench: unexpected counts (cc %lu)\n",
                 s.continuity_count_errors);
    std::exit(1);
  }
  return ns / static_cast<double>(n);
}

double RunProbe(uint64_t n) {
  mcast::packet::Header h;
  h.sender_id = 7;
  h.interval_us = 10;
  std::vector<uint8_t> d(200);
  mcast::packet::EncodeDatagram(h, absl::MakeSpan(d));
  mcast::stats::ReceiverStats stats(mcast::stats::ReceiverStatsOptions{});
  mcast::net::ReceivedDatagram rd;
  rd.source = *mcast::inet::IpAddress::Parse("10.0.0.1");
  rd.data = d;
  rd.length = d.size();
  rd.ttl = 64;
  rd.tos = 0;
  const auto start = Clock::now();
  for (uint64_t i = 0; i < n; ++i) {
    mcast::packet::PatchHeader(0, i, i * 10'000, absl::MakeSpan(d));
    const int64_t t = static_cast<int64_t>(i) * 10'000;
    mcast::probe::FeedDatagram(rd, t, t, stats);
  }
  const double ns =
      std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  if (stats.Snapshot(0).totals.received != n) {
    std::fprintf(stderr, "bench: probe packets not all counted\n");
    std::exit(1);
  }
  return ns / static_cast<double>(n);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2000000;
  const char* only = std::getenv("MCAST_BENCH_CASE");
  if (only != nullptr) {
    const std::string c = only;
    const double ns = c == "probe" ? RunProbe(n) : RunTs(c == "ts_rtp", n);
    std::printf("%s %.1f ns/datagram\n", only, ns);
    return 0;
  }
  std::vector<double> probe, udp, rtp;
  for (int round = 0; round < 3; ++round) {  // Interleaved: same load.
    probe.push_back(RunProbe(n));
    udp.push_back(RunTs(false, n));
    rtp.push_back(RunTs(true, n));
  }
  const double p = Median(probe), u = Median(udp), r = Median(rtp);
  std::printf("case      ns/datagram  datagrams/s/core  vs probe\n");
  std::printf("probe     %11.1f  %16.0f  %8.2f\n", p, 1e9 / p, 1.0);
  std::printf("ts_udp    %11.1f  %16.0f  %8.2f\n", u, 1e9 / u, u / p);
  std::printf("ts_rtp    %11.1f  %16.0f  %8.2f\n", r, 1e9 / r, r / p);
  std::printf("100k TS datagrams/s (7x188) = %.1f %% of one core\n",
              100000 * u / 1e7);
  return 0;
}
