// The MPEG-TS analyser under any bytes a sender on the group can send. The
// input is a stream of datagrams: one setup byte (bit 0: TS over RTP, bits
// 1-3: the PID cap, 0-6, or the default 32 when 7), then per datagram a
// time step byte (x 10 ms), a 2-byte length (mod 2048) and that many bytes.
// The same datagrams go to a small reference model written here from the
// README's rules, and after each one:
//   - the analyser's counters equal the model's (sync, TEI, null, CC errors,
//     duplicates, discontinuities, misaligned, RTP header errors);
//   - every TS unit lands in exactly one place: sync error, null packet or
//     the packets of one PID entry; per-PID sums equal the flow's;
//   - the PID table never exceeds the cap plus one overflow entry, sorted;
//   - counters only grow; a datagram the classifier accepts as plain TS
//     has no sync or alignment error in a UDP analyser.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "absl/types/span.h"
#include "streams/mpegts_analyzer.h"

namespace {

namespace st = mcast::streams;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

// The rules of README / mpegts_analyzer.h, written as plainly as possible.
struct Model {
  struct Pid {
    bool reference = false;
    int last = 0;
    bool repeated = false;
  };
  std::array<Pid, 8192> pids{};
  uint64_t sync = 0, tei = 0, null = 0, cc = 0, dup = 0, disc = 0, units = 0;
  uint64_t misaligned = 0, rtp_errors = 0;

  void Unit(const uint8_t* p) {
    ++units;
    if (p[0] != 0x47) {
      ++sync;
      return;
    }
    if (p[1] & 0x80) ++tei;
    const int pid = (p[1] & 0x1F) * 256 + p[2];
    if (pid == 0x1FFF) {
      ++null;
      return;
    }
    const int afc = (p[3] >> 4) & 3;
    const int counter = p[3] & 15;
    Pid& s = pids[pid];
    if ((afc == 2 || afc == 3) && p[4] != 0 && (p[5] & 0x80) != 0) {
      ++disc;
      s.reference = false;
    }
    if (afc == 1 || afc == 3) {
      if (!s.reference) {
        s = {true, counter, false};
      } else if (counter == (s.last + 1) % 16) {
        s = {true, counter, false};
      } else if (counter == s.last && !s.repeated) {
        ++dup;
        s.repeated = true;
      } else if (counter == s.last) {
        ++cc;
      } else {
        ++cc;
        s = {true, counter, false};
      }
    }
  }

  void Datagram(const uint8_t* d, size_t n, bool rtp) {
    if (rtp) {
      // RFC 3550 5.1 / 5.3.1.
      if (n < 12 || (d[0] >> 6) != 2) {
        ++rtp_errors;
        return;
      }
      size_t h = 12 + 4 * (d[0] & 15);
      if (d[0] & 0x10) {
        if (h + 4 > n) {
          ++rtp_errors;
          return;
        }
        h += 4 + 4 * (d[h + 2] * 256 + d[h + 3]);
      }
      if (h > n) {
        ++rtp_errors;
        return;
      }
      size_t pad = (d[0] & 0x20) ? d[n - 1] : 0;
      if ((d[0] & 0x20) && (pad == 0 || h + pad > n)) {
        ++rtp_errors;
        return;
      }
      d += h;
      n -= h + pad;
    }
    if (n % 188) ++misaligned;
    for (size_t i = 0; i + 188 <= n; i += 188) Unit(d + i);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  st::MpegTsLimits limits;
  limits.rtp = data[0] & 1;
  const size_t cap = (data[0] >> 1) & 7;
  if (cap != 7) limits.max_pids = cap;
  st::MpegTsAnalyzer a(limits);
  Model m;
  size_t pos = 1;
  int64_t t = 0;
  uint64_t datagrams = 0, last_pat = 0, last_cc = 0;
  while (pos + 3 <= size) {
    t += int64_t{data[pos]} * 10'000'000;
    const size_t want = (size_t{data[pos + 1]} << 8 | data[pos + 2]) % 2048;
    pos += 3;
    const size_t n = std::min(want, size - pos);
    const absl::Span<const uint8_t> d(data + pos, n);
    pos += n;
    a.OnDatagram(d, t);
    m.Datagram(d.data(), n, limits.rtp);
    ++datagrams;

    const st::MpegTsSnapshot s = a.Snapshot(t);
    Check(s.datagrams == datagrams);
    Check(s.ts_packets == m.units && s.sync_byte_errors == m.sync);
    Check(s.transport_errors == m.tei && s.null_packets == m.null);
    Check(s.continuity_count_errors == m.cc && s.duplicate_packets == m.dup);
    Check(s.discontinuities == m.disc);
    Check(s.misaligned_datagrams == m.misaligned);
    Check(s.rtp_header_errors == m.rtp_errors);
    Check(s.pat_errors >= last_pat && s.continuity_count_errors >= last_cc);
    last_pat = s.pat_errors;
    last_cc = s.continuity_count_errors;

    Check(s.pids.size() <= limits.max_pids + 1);
    uint64_t packets = 0, cc = 0, dup = 0, disc = 0;
    uint32_t pids = 0;
    for (size_t i = 0; i < s.pids.size(); ++i) {
      const st::MpegTsPidSnapshot& e = s.pids[i];
      Check(e.pid <= st::kTsOverflowPid && e.pid != st::kTsNullPid);
      Check(e.pid != st::kTsOverflowPid || i + 1 == s.pids.size());
      Check(i == 0 || e.pid > s.pids[i - 1].pid);
      Check(e.bit_rate_bps >= 0);
      packets += e.packets;
      cc += e.continuity_count_errors;
      dup += e.duplicate_packets;
      disc += e.discontinuities;
      pids += e.pids;
    }
    Check(packets + m.null + m.sync == m.units);
    Check(cc == m.cc && dup == m.dup && disc == m.disc);
    Check(pids == s.pids_seen);

    if (!limits.rtp && st::LooksLikeMpegTs(d)) {
      st::MpegTsAnalyzer fresh({});
      fresh.OnDatagram(d, 0);
      const st::MpegTsSnapshot f = fresh.Snapshot(0);
      Check(f.sync_byte_errors == 0 && f.misaligned_datagrams == 0);
      Check(f.ts_packets == n / 188);
    }
    if (st::LooksLikeMpegTsOverRtp(d)) Check(st::RtpHeaderLength(d) > 0);
  }
  return 0;
}
