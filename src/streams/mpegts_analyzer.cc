#include "streams/mpegts_analyzer.h"

#include <algorithm>

namespace mcast::streams {
namespace {

// cc_state_ bits above the 4-bit reference counter.
constexpr uint8_t kCcMask = 0x0F;
constexpr uint8_t kHasReference = 0x10;
constexpr uint8_t kRepeated = 0x20;  // The reference was seen twice.
constexpr uint8_t kSeen = 0x40;

constexpr uint8_t kNoSlot = 0;
constexpr uint8_t kOverflowSlot = 0xFF;
static_assert(kTsMaxPidsLimit < kOverflowSlot);

constexpr uint8_t kTableIdPat = 0x00;
constexpr uint8_t kTableIdStuffing = 0xFF;

// The TS part of an RTP datagram: after the header, before the padding.
// False when the header is invalid or the padding does not fit.
bool RtpPayload(absl::Span<const uint8_t> payload,
                absl::Span<const uint8_t>* out) {
  const size_t header = RtpHeaderLength(payload);
  if (header == 0) return false;
  size_t padding = 0;
  if (payload[0] & 0x20) {
    padding = payload[payload.size() - 1];
    if (padding == 0 || header + padding > payload.size()) return false;
  }
  *out = payload.subspan(header, payload.size() - header - padding);
  return true;
}

}  // namespace

MpegTsAnalyzer::MpegTsAnalyzer(const MpegTsLimits& limits)
    : limits_(limits), cc_state_(kTsPidCount, 0), slot_(kTsPidCount, kNoSlot) {
  limits_.max_pids = std::min(limits_.max_pids, kTsMaxPidsLimit);
  if (limits_.rate_window_ns <= 0) limits_.rate_window_ns = 1'000'000'000;
  if (limits_.pat_timeout_ns <= 0) limits_.pat_timeout_ns = 500'000'000;
  entries_.resize(limits_.max_pids + 1);
  entries_.back().pid = kTsOverflowPid;
}

size_t MpegTsAnalyzer::HeapBytes(const MpegTsLimits& limits) {
  const size_t pids = std::min(limits.max_pids, kTsMaxPidsLimit);
  return 2 * kTsPidCount + (pids + 1) * sizeof(PidEntry);
}

void MpegTsAnalyzer::OnDatagram(absl::Span<const uint8_t> payload,
                                int64_t arrival_mono_ns) {
  ++counts_.datagrams;
  absl::Span<const uint8_t> ts = payload;
  if (limits_.rtp && !RtpPayload(payload, &ts)) {
    ++counts_.rtp_header_errors;
    return;
  }
  if (!started_) {
    started_ = true;
    last_pat_ns_ = arrival_mono_ns;
    window_start_ns_ = arrival_mono_ns;
  } else {
    if (!pat_gap_reported_ &&
        arrival_mono_ns - last_pat_ns_ > limits_.pat_timeout_ns) {
      ++counts_.pat_errors;
      pat_gap_reported_ = true;
    }
    if (arrival_mono_ns - window_start_ns_ >= limits_.rate_window_ns) {
      CloseRateWindow(arrival_mono_ns);
    }
  }
  if (ts.size() % kTsPacketSize != 0) ++counts_.misaligned_datagrams;
  bool saw_pat = false;
  const uint8_t* p = ts.data();
  for (size_t n = ts.size() / kTsPacketSize; n > 0; --n) {
    OnTsPacket(p, &saw_pat);
    p += kTsPacketSize;
  }
  if (saw_pat) {
    last_pat_ns_ = arrival_mono_ns;
    pat_gap_reported_ = false;
  }
}

void MpegTsAnalyzer::OnTsPacket(const uint8_t* p, bool* saw_pat) {
  ++counts_.ts_packets;
  if (p[0] != kTsSyncByte) {
    ++counts_.sync_byte_errors;
    return;
  }
  const bool tei = p[1] & 0x80;
  const bool unit_start = p[1] & 0x40;
  const uint16_t pid = static_cast<uint16_t>((p[1] & 0x1F) << 8 | p[2]);
  const uint8_t scrambling = p[3] >> 6;
  const uint8_t field_control = (p[3] >> 4) & 0x03;
  const uint8_t cc = p[3] & kCcMask;
  const bool has_adaptation = field_control & 0x02;
  const bool has_payload = field_control & 0x01;
  if (tei) ++counts_.transport_errors;
  if (pid == kTsNullPid) {
    ++counts_.null_packets;
    return;
  }

  uint8_t state = cc_state_[pid];
  if (!(state & kSeen)) {
    ++counts_.pids_seen;
    state |= kSeen;
  }
  PidEntry& entry = EntryFor(pid);
  ++entry.packets;
  if (tei) ++entry.transport_errors;

  // adaptation_field_length at 4; its flags byte at 5 when the length > 0.
  if (has_adaptation && p[4] > 0 && (p[5] & 0x80)) {
    ++counts_.discontinuities;
    ++entry.discontinuities;
    state &= static_cast<uint8_t>(~(kHasReference | kRepeated));
  }
  if (has_payload) {
    const uint8_t reference = state & kCcMask;
    const uint8_t keep = state & kSeen;
    if (!(state & kHasReference) || cc == ((reference + 1) & kCcMask)) {
      state = keep | kHasReference | cc;
    } else if (cc == reference) {
      if (state & kRepeated) {
        ++counts_.continuity_count_errors;
        ++entry.continuity_count_errors;
      } else {
        ++counts_.duplicate_packets;
        ++entry.duplicate_packets;
        state |= kRepeated;
      }
    } else {
      ++counts_.continuity_count_errors;
      ++entry.continuity_count_errors;
      state = keep | kHasReference | cc;
    }
  }
  cc_state_[pid] = state;

  if (pid != kTsPatPid || tei) return;
  if (scrambling != 0) {
    ++counts_.pat_errors;
    return;
  }
  if (!unit_start || !has_payload) return;
  size_t offset = 4;
  if (has_adaptation) offset += 1 + size_t{p[4]};
  if (offset >= kTsPacketSize) return;
  const size_t table = offset + 1 + size_t{p[offset]};  // pointer_field
  if (table >= kTsPacketSize || p[table] == kTableIdStuffing) return;
  if (p[table] == kTableIdPat) {
    *saw_pat = true;
  } else {
    ++counts_.pat_errors;
  }
}

MpegTsAnalyzer::PidEntry& MpegTsAnalyzer::EntryFor(uint16_t pid) {
  uint8_t slot = slot_[pid];
  if (slot == kNoSlot) {
    if (used_entries_ < limits_.max_pids) {
      entries_[used_entries_].pid = pid;
      entries_[used_entries_].pids = 1;
      slot = static_cast<uint8_t>(++used_entries_);
    } else {
      slot = kOverflowSlot;
      ++entries_.back().pids;
    }
    slot_[pid] = slot;
  }
  return slot == kOverflowSlot ? entries_.back() : entries_[slot - 1];
}

void MpegTsAnalyzer::CloseRateWindow(int64_t now_mono_ns) {
  const double seconds =
      static_cast<double>(now_mono_ns - window_start_ns_) / 1e9;
  auto close = [&](PidEntry& e) {
    const uint64_t packets = e.packets - e.window_start_packets;
    e.bit_rate_bps = static_cast<double>(packets) * kTsPacketSize * 8 / seconds;
    e.window_start_packets = e.packets;
  };
  for (size_t i = 0; i < used_entries_; ++i) close(entries_[i]);
  close(entries_.back());
  window_start_ns_ = now_mono_ns;
  last_window_end_ns_ = now_mono_ns;
}

MpegTsSnapshot MpegTsAnalyzer::Snapshot(int64_t now_mono_ns) const {
  MpegTsSnapshot s = counts_;
  const bool fresh =
      last_window_end_ns_ != 0 &&
      now_mono_ns - last_window_end_ns_ <= 2 * limits_.rate_window_ns;
  auto view = [&](const PidEntry& e) {
    MpegTsPidSnapshot v;
    v.pid = e.pid;
    v.pids = e.pids;
    v.packets = e.packets;
    v.continuity_count_errors = e.continuity_count_errors;
    v.transport_errors = e.transport_errors;
    v.duplicate_packets = e.duplicate_packets;
    v.discontinuities = e.discontinuities;
    v.bit_rate_bps = fresh ? e.bit_rate_bps : 0;
    return v;
  };
  s.pids.reserve(used_entries_ + 1);
  for (size_t i = 0; i < used_entries_; ++i)
    s.pids.push_back(view(entries_[i]));
  std::sort(s.pids.begin(), s.pids.end(),
            [](const MpegTsPidSnapshot& a, const MpegTsPidSnapshot& b) {
              return a.pid < b.pid;
            });
  if (entries_.back().packets > 0) s.pids.push_back(view(entries_.back()));
  return s;
}

bool LooksLikeMpegTs(absl::Span<const uint8_t> payload) {
  if (payload.empty() || payload.size() % kTsPacketSize != 0) return false;
  for (size_t i = 0; i < payload.size(); i += kTsPacketSize) {
    if (payload[i] != kTsSyncByte) return false;
  }
  return true;
}

size_t RtpHeaderLength(absl::Span<const uint8_t> payload) {
  if (payload.size() < kRtpFixedHeaderSize || (payload[0] >> 6) != 2) return 0;
  size_t length = kRtpFixedHeaderSize + 4 * size_t{payload[0] & 0x0Fu};
  if (payload[0] & 0x10) {  // Header extension: 16-bit profile, 16-bit words.
    if (length + 4 > payload.size()) return 0;
    const size_t words = size_t{payload[length + 2]} << 8 | payload[length + 3];
    length += 4 + 4 * words;
  }
  return length <= payload.size() ? length : 0;
}

bool LooksLikeMpegTsOverRtp(absl::Span<const uint8_t> payload) {
  absl::Span<const uint8_t> ts;
  if (!RtpPayload(payload, &ts)) return false;
  const uint8_t type = payload[1] & 0x7F;
  if (type != 33 && type < 96) return false;
  return LooksLikeMpegTs(ts);
}

}  // namespace mcast::streams
