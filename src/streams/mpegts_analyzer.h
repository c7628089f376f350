#ifndef MCAST_STREAMS_MPEGTS_ANALYZER_H_
#define MCAST_STREAMS_MPEGTS_ANALYZER_H_

// MPEG transport stream (ISO/IEC 13818-1) analysis of one flow (one source
// address and port on a group): the ETSI TR 101 290 priority-1 checks that
// a receiver can make from the packets alone, per flow and per PID.
//
// A datagram carries whole 188-byte TS packets (usually 7, 1316 bytes),
// either directly in UDP or after an RTP header (RFC 2250; the analyser
// skips the 12-byte fixed header, the CSRC list and the header extension,
// and drops RTP padding). Per TS packet:
//
// - sync_byte_error (1.2): the first byte is not 0x47. The packet is
//   counted once and otherwise ignored (its header is not trusted).
// - transport_error: the transport_error_indicator (TEI) bit is set. The
//   packet is otherwise processed normally (its header is taken as read).
// - continuity_count_error (1.4), per PID: the 4-bit continuity_counter of
//   a packet with payload (adaptation_field_control 01 or 11) must be the
//   previous one + 1 (mod 16). Exactly one repeat of the previous value is a
//   legal duplicate (counted as duplicate_packets, not an error); a second
//   repeat, a gap or any other value (out of order) is one error, and the
//   packet's value becomes the new reference. Packets without payload
//   (adaptation_field_control 00 or 10) neither advance nor check the
//   counter. A packet whose adaptation field sets discontinuity_indicator
//   resets the reference: its own value (or that of the next packet with
//   payload) is accepted as is. The first packet of a PID sets the reference.
//   The null PID 0x1FFF is never checked.
// - pat_error (1.3): PID 0x0000 carries no PAT section start for more than
//   pat_timeout (0.5 s) while the flow is sending, counted once per such
//   gap, detected at the first datagram after the limit (a stream that
//   starts without a PAT counts from its first datagram). A section start
//   on PID 0 whose table_id is not 0x00, or a PID 0 packet with
//   transport_scrambling_control != 00, is a pat_error too (and not a PAT);
//   a PID 0 packet with TEI set is neither.
//
// Per PID: packets, continuity-count errors, transport errors, duplicates,
// discontinuity indicators and the bit rate (188 * 8 bits per packet over
// the last complete rate window). Only the first max_pids PIDs seen get an
// entry; packets on later PIDs are summed in one overflow entry, so a
// sender cannot grow the table. Continuity is tracked for all 8192 PIDs in
// a fixed array, so the flow's counters are exact whatever the cap.
//
// Set-up allocates everything (about 16 KiB plus max_pids entries, see
// HeapBytes()); OnDatagram never allocates. Bad input never crashes: any
// byte sequence is a datagram with some counts. Not thread-safe.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"

namespace mcast::streams {

inline constexpr size_t kTsPacketSize = 188;
inline constexpr uint8_t kTsSyncByte = 0x47;
inline constexpr uint16_t kTsPatPid = 0x0000;
inline constexpr uint16_t kTsNullPid = 0x1FFF;
inline constexpr size_t kTsPidCount = 8192;
// The pid of the overflow entry in MpegTsSnapshot::pids (not a real PID).
inline constexpr uint32_t kTsOverflowPid = 0x2000;
// The most per-PID entries a flow may have (MpegTsLimits::max_pids).
inline constexpr size_t kTsMaxPidsLimit = 254;
// Size of the RTP fixed header (RFC 3550 5.1).
inline constexpr size_t kRtpFixedHeaderSize = 12;

struct MpegTsLimits {
  // Per-PID entries; later PIDs go to the overflow entry. Clamped to
  // [0, kTsMaxPidsLimit].
  size_t max_pids = 32;
  // TR 101 290 1.3a: PAT at least every 0.5 s.
  int64_t pat_timeout_ns = 500'000'000;
  // Per-PID bit rates are measured over windows of this length.
  int64_t rate_window_ns = 1'000'000'000;
  // The TS packets follow an RTP header (TS over RTP, RFC 2250).
  bool rtp = false;
};

struct MpegTsPidSnapshot {
  uint32_t pid = 0;  // kTsOverflowPid for the overflow entry.
  uint64_t packets = 0;
  uint64_t continuity_count_errors = 0;
  uint64_t transport_errors = 0;
  uint64_t duplicate_packets = 0;  // Legal single repeats.
  uint64_t discontinuities = 0;    // discontinuity_indicator set.
  double bit_rate_bps = 0;         // Last complete rate window; 0 if stale.
  uint32_t pids = 1;               // Distinct PIDs summed here (overflow).
};

struct MpegTsSnapshot {
  uint64_t datagrams = 0;
  uint64_t ts_packets = 0;  // Every 188-byte unit, sync error or not.
  uint64_t null_packets = 0;
  // TR 101 290 priority 1 (and TEI).
  uint64_t sync_byte_errors = 0;         // 1.2
  uint64_t pat_errors = 0;               // 1.3
  uint64_t continuity_count_errors = 0;  // 1.4
  uint64_t transport_errors = 0;         // TEI
  uint64_t duplicate_packets = 0;
  uint64_t discontinuities = 0;
  // Datagrams whose TS part is not a multiple of 188 bytes (the trailing
  // partial packet is ignored), and RTP datagrams whose header is invalid
  // (version not 2, or header/padding longer than the datagram: skipped).
  uint64_t misaligned_datagrams = 0;
  uint64_t rtp_header_errors = 0;
  uint32_t pids_seen = 0;  // Distinct PIDs, null PID excluded.
  // Sorted by PID; the overflow entry (if any packet went there) last.
  std::vector<MpegTsPidSnapshot> pids;
};

class MpegTsAnalyzer {
 public:
  explicit MpegTsAnalyzer(const MpegTsLimits& limits);

  // One UDP payload, arrived at arrival_mono_ns (CLOCK_MONOTONIC).
  void OnDatagram(absl::Span<const uint8_t> payload, int64_t arrival_mono_ns);

  MpegTsSnapshot Snapshot(int64_t now_mono_ns) const;
  const MpegTsLimits& limits() const { return limits_; }

  // Heap bytes one analyser with these limits holds (all set-up).
  static size_t HeapBytes(const MpegTsLimits& limits);

 private:
  struct PidEntry {
    uint32_t pid = 0;
    uint32_t pids = 0;
    uint64_t packets = 0;
    uint64_t continuity_count_errors = 0;
    uint64_t transport_errors = 0;
    uint64_t duplicate_packets = 0;
    uint64_t discontinuities = 0;
    uint64_t window_start_packets = 0;
    double bit_rate_bps = 0;
  };

  void OnTsPacket(const uint8_t* p, bool* saw_pat);
  PidEntry& EntryFor(uint16_t pid);
  void CloseRateWindow(int64_t now_mono_ns);

  MpegTsLimits limits_;
  // Per PID: bits 0-3 reference counter, then the flags in the .cc.
  std::vector<uint8_t> cc_state_;
  // Per PID: 0 = no entry yet, k = entries_[k - 1], kOverflowSlot.
  std::vector<uint8_t> slot_;
  std::vector<PidEntry> entries_;  // max_pids + 1 (overflow last).
  size_t used_entries_ = 0;

  MpegTsSnapshot counts_;  // Flow counters (pids left empty).
  bool started_ = false;
  int64_t last_pat_ns_ = 0;
  bool pat_gap_reported_ = false;
  int64_t window_start_ns_ = 0;
  int64_t last_window_end_ns_ = 0;
};

// Whether a UDP payload looks like MPEG-TS carried directly: a non-empty
// whole number of 188-byte packets, each starting with 0x47.
bool LooksLikeMpegTs(absl::Span<const uint8_t> payload);

// The length of the RTP header of a datagram (fixed header, CSRC list and
// header extension), or 0 when it is not an RTP version 2 header that fits.
size_t RtpHeaderLength(absl::Span<const uint8_t> payload);

// Whether a UDP payload looks like MPEG-TS over RTP: a valid RTP header
// (RtpHeaderLength > 0, payload type 33 = MP2T or dynamic 96-127) followed
// by what LooksLikeMpegTs accepts (after removing RTP padding).
bool LooksLikeMpegTsOverRtp(absl::Span<const uint8_t> payload);

}  // namespace mcast::streams

#endif  // MCAST_STREAMS_MPEGTS_ANALYZER_H_
