#include "streams/stream_flow.h"

#include <algorithm>
#include <cstdlib>

#include "streams/moldudp64_packet.h"
#include "streams/rtp_packet.h"

namespace mcast::streams {
namespace {

constexpr int kRtpSequenceBits = 16;

// A datagram that is RTP carrying MPEG-TS, or plain RTP.
StreamKind RtpKind(absl::Span<const uint8_t> payload) {
  if (LooksLikeMpegTsOverRtp(payload)) return StreamKind::kMpegTsRtp;
  if (RtpHeaderLength(payload) > 0) return StreamKind::kRtp;
  return StreamKind::kUnknown;
}

}  // namespace

StreamFlow::StreamFlow(const StreamOptions& options,
                       const inet::IpAddress& source, uint16_t port)
    : options_(options),
      source_(source),
      port_(port),
      stall_(options.stall_timeout_ns, options.gap_log_capacity),
      extender_(64) {
  if (options_.rate_window_ns <= 0) options_.rate_window_ns = 1'000'000'000;
  if (options_.decode.rtp_clock_rate == 0) {
    options_.decode.rtp_clock_rate = kDefaultRtpClockRate;
  }
}

size_t StreamFlow::HeapBytes(const StreamOptions& options) {
  // The larger of the two decoders a kind needs (TS over RTP needs both).
  return sizeof(StreamFlow) + sizeof(stats::SequenceTracker) +
         stats::SequenceTracker::HeapBytes(options.sequence) +
         sizeof(MpegTsAnalyzer) + MpegTsAnalyzer::HeapBytes(options.ts) +
         options.gap_log_capacity * sizeof(stats::GapEvent);
}

void StreamFlow::SetKind(StreamKind kind) {
  kind_ = kind;
  if (StreamKindSequenced(kind)) {
    tracker_ = std::make_unique<stats::SequenceTracker>(options_.sequence);
    int bits = 64;
    if (kind == StreamKind::kRtp || kind == StreamKind::kMpegTsRtp) {
      bits = kRtpSequenceBits;
    } else if (kind == StreamKind::kSequenced) {
      bits = static_cast<int>(
                 std::clamp<uint32_t>(options_.decode.seq_width, 1, 8)) *
             8;
    }
    extender_ = SequenceExtender(bits);
  }
  if (kind == StreamKind::kMpegTsUdp || kind == StreamKind::kMpegTsRtp) {
    MpegTsLimits limits = options_.ts;
    limits.rtp = kind == StreamKind::kMpegTsRtp;
    ts_ = std::make_unique<MpegTsAnalyzer>(limits);
  }
}

void StreamFlow::Classify(absl::Span<const uint8_t> payload) {
  switch (options_.decode.mode) {
    case DecodeMode::kProbe:
      return;
    case DecodeMode::kAuto:
      if (LooksLikeMpegTs(payload)) {
        SetKind(StreamKind::kMpegTsUdp);
      } else {
        const StreamKind k = RtpKind(payload);
        if (k != StreamKind::kUnknown) SetKind(k);
      }
      return;
    case DecodeMode::kRtp: {
      const StreamKind k = RtpKind(payload);
      if (k != StreamKind::kUnknown) SetKind(k);
      return;
    }
    case DecodeMode::kMpegTs:
      if (LooksLikeMpegTs(payload)) {
        SetKind(StreamKind::kMpegTsUdp);
      } else if (LooksLikeMpegTsOverRtp(payload)) {
        SetKind(StreamKind::kMpegTsRtp);
      }
      return;
    case DecodeMode::kSeq:
      SetKind(StreamKind::kSequenced);
      return;
    case DecodeMode::kMoldUdp64:
      SetKind(StreamKind::kMoldUdp64);
      return;
  }
}

void StreamFlow::OnDatagram(absl::Span<const uint8_t> payload, int64_t mono_ns,
                            int64_t real_ns) {
  stall_.OnPacket(mono_ns, real_ns);
  if (packets_ == 0) {
    first_real_ns_ = real_ns;
    window_start_ns_ = mono_ns;
  } else if (mono_ns - window_start_ns_ >= options_.rate_window_ns) {
    bit_rate_bps_ = static_cast<double>(bytes_ - window_start_bytes_) * 8e9 /
                    static_cast<double>(mono_ns - window_start_ns_);
    window_start_ns_ = mono_ns;
    window_start_bytes_ = bytes_;
    last_window_end_ns_ = mono_ns;
  }
  ++packets_;
  bytes_ += payload.size();
  last_real_ns_ = real_ns;
  last_mono_ns_ = mono_ns;
  if (kind_ == StreamKind::kUnknown) {
    Classify(payload);
    if (kind_ == StreamKind::kUnknown) {
      // A forced decoder that does not fit; auto and probe only count.
      if (options_.decode.mode == DecodeMode::kRtp ||
          options_.decode.mode == DecodeMode::kMpegTs) {
        ++undecodable_;
      }
      return;
    }
  }
  Decode(payload, mono_ns, real_ns);
}

void StreamFlow::Decode(absl::Span<const uint8_t> payload, int64_t mono_ns,
                        int64_t real_ns) {
  switch (kind_) {
    case StreamKind::kRtp:
      OnRtp(payload, mono_ns, real_ns);
      return;
    case StreamKind::kMpegTsRtp:
      OnRtp(payload, mono_ns, real_ns);
      ts_->OnDatagram(payload, mono_ns);
      return;
    case StreamKind::kMpegTsUdp:
      ts_->OnDatagram(payload, mono_ns);
      return;
    case StreamKind::kSequenced:
      OnSeq(payload, mono_ns);
      return;
    case StreamKind::kMoldUdp64:
      OnMold(payload, mono_ns);
      return;
    case StreamKind::kUnknown:
    case StreamKind::kProbe:
      return;
  }
}

void StreamFlow::Restart() {
  if (run_started_) {
    tracker_->Finish();
    retired_.Add(tracker_->counters());
    tracker_->Reset();
    ++restarts_;
  }
  run_started_ = true;
  extender_.Reset();
  has_transit_ = false;
  jitter_units_ = 0;
}

void StreamFlow::RtpJitter(uint32_t rtp_timestamp, int64_t real_ns) {
  // RFC 3550 A.8: arrival in timestamp units, all modulo 2^32.
  // Whole seconds and the rest apart: no overflow for any clock rate.
  const uint64_t ns = static_cast<uint64_t>(real_ns);
  const uint64_t rate = options_.decode.rtp_clock_rate;
  const uint32_t arrival = static_cast<uint32_t>(
      ns / 1'000'000'000u * rate + ns % 1'000'000'000u * rate / 1'000'000'000u);
  const uint32_t transit = arrival - rtp_timestamp;
  if (has_transit_) {
    const int32_t d = static_cast<int32_t>(transit - transit_);
    const double magnitude = std::abs(static_cast<double>(d));
    jitter_units_ += (magnitude - jitter_units_) / 16.0;
  }
  transit_ = transit;
  has_transit_ = true;
}

void StreamFlow::OnRtp(absl::Span<const uint8_t> payload, int64_t mono_ns,
                       int64_t real_ns) {
  RtpPacket rtp;
  if (!ParseRtpPacket(payload, &rtp)) {
    ++undecodable_;
    return;
  }
  if (!run_started_ || rtp.ssrc != ssrc_) {
    Restart();
    ssrc_ = rtp.ssrc;
  }
  payload_type_ = rtp.payload_type;
  const stats::Arrival a =
      tracker_->OnPacket(extender_.Extend(rtp.sequence), mono_ns);
  if (a == stats::Arrival::kInOrder || a == stats::Arrival::kReordered) {
    RtpJitter(rtp.timestamp, real_ns);
  }
}

void StreamFlow::OnSeq(absl::Span<const uint8_t> payload, int64_t mono_ns) {
  const uint32_t offset = options_.decode.seq_offset;
  const uint32_t width = options_.decode.seq_width;
  if (width == 0 || width > 8 || payload.size() < offset ||
      payload.size() - offset < width) {
    ++undecodable_;
    return;
  }
  uint64_t value = 0;
  for (uint32_t i = 0; i < width; ++i) {
    const uint8_t byte = options_.decode.seq_little_endian
                             ? payload[offset + width - 1 - i]
                             : payload[offset + i];
    value = value << 8 | byte;
  }
  if (!run_started_) Restart();
  tracker_->OnPacket(extender_.Extend(value), mono_ns);
}

void StreamFlow::OnMold(absl::Span<const uint8_t> payload, int64_t mono_ns) {
  MoldUdp64Packet mold;
  if (!ParseMoldUdp64Packet(payload, &mold)) {
    ++undecodable_;
    return;
  }
  if (!run_started_ || mold.session != session_) {
    Restart();
    session_ = mold.session;
    end_of_session_ = false;
  }
  if (mold.heartbeat()) {
    ++heartbeats_;
    if (mold.end_of_session()) end_of_session_ = true;
    return;
  }
  for (uint32_t i = 0; i < mold.count; ++i) {
    tracker_->OnPacket(mold.sequence + i, mono_ns);
  }
}

void StreamFlow::Tick(int64_t mono_ns) {
  stall_.Tick(mono_ns);
  if (tracker_) tracker_->Expire(mono_ns);
}

void StreamFlow::Finish() {
  if (tracker_) tracker_->Finish();
}

stats::SequenceCounters StreamFlow::SequenceTotals() const {
  stats::SequenceCounters c = retired_;
  if (tracker_) c.Add(tracker_->counters());
  return c;
}

StreamSnapshot StreamFlow::Snapshot(int64_t now_mono_ns) const {
  StreamSnapshot s;
  s.source = source_;
  s.port = port_;
  s.kind = kind_;
  s.packets = packets_;
  s.bytes = bytes_;
  s.bit_rate_bps =
      now_mono_ns - last_window_end_ns_ > 2 * options_.rate_window_ns
          ? 0
          : bit_rate_bps_;
  s.first_packet_real_ns = first_real_ns_;
  s.last_packet_real_ns = last_real_ns_;
  s.last_packet_mono_ns = last_mono_ns_;
  s.state = stall_.state();
  s.stalls = stall_.stalls();
  s.stalled_seconds = static_cast<double>(stall_.StalledNs(now_mono_ns)) * 1e-9;
  s.undecodable = undecodable_;
  s.sequence = SequenceTotals();
  s.restarts = restarts_;
  if (tracker_ && tracker_->started()) {
    s.first_seq = tracker_->first_seq();
    s.last_seq = tracker_->highest_seq();
  }
  s.ssrc = ssrc_;
  s.payload_type = payload_type_;
  s.jitter_seconds =
      jitter_units_ / static_cast<double>(options_.decode.rtp_clock_rate);
  if (kind_ == StreamKind::kMoldUdp64 && run_started_) {
    // Printable ASCII only (it is shown and put in JSON as is).
    for (uint8_t b : session_) {
      s.session.push_back(b >= 0x20 && b < 0x7f ? static_cast<char>(b) : '?');
    }
    while (!s.session.empty() && s.session.back() == ' ') {
      s.session.pop_back();
    }
  }
  s.heartbeats = heartbeats_;
  s.end_of_session = end_of_session_;
  if (ts_) s.ts = ts_->Snapshot(now_mono_ns);
  return s;
}

}  // namespace mcast::streams
