#ifndef MCAST_STREAMS_STREAM_FLOW_H_
#define MCAST_STREAMS_STREAM_FLOW_H_

// One non-probe source (address, port) on a group: every datagram is
// counted (packets, bytes, rate, first/last time, stalls by the probes'
// interval rule) and, depending on the decode spec and what the datagrams
// look like, decoded:
//
// - RTP (RFC 3550; also TS over RTP): a datagram must carry a version 2
//   header that fits, else it is `undecodable`. The SSRC names the sender
//   run: a new SSRC from the same source is a restart (the old run ends:
//   its pending numbers become lost; the new one starts a fresh sequence
//   space). The 16-bit sequence number is extended to 64 bits across wraps
//   (SequenceExtender) and fed to the probes' engine (stats::
//   SequenceTracker: loss, duplicates, RFC 4737 reorder and extent, late).
//   Interarrival jitter per RFC 3550 A.8 from the RTP timestamp and the
//   arrival time (CLOCK_REALTIME, the kernel's stamp when there is one) in
//   units of the clock rate (90 kHz unless configured), over the unique
//   (in-order and reordered) packets of the current run, as for probes.
// - seq:OFFSET:WIDTH[:be|le]: the WIDTH-byte number at OFFSET, extended
//   to 64 bits like RTP's (8 bytes: as is), fed to the same engine; a
//   datagram too short for the field is undecodable.
// - MoldUDP64 (moldudp64_packet.h): the engine sees every *message*
//   number, sequence .. sequence + count - 1, so loss, duplicates and
//   reorder count messages. Heartbeats (count 0) and the end-of-session
//   packet (0xFFFF) advance nothing and are counted; a new session name
//   from the same source is a restart.
// - MPEG-TS over UDP or over RTP: streams::MpegTsAnalyzer.
//
// In `auto` mode a source is classified from its datagrams until one
// matches (MPEG-TS over UDP, then MPEG-TS over RTP, then RTP), then its
// kind stays. Forced modes decide at the first datagram (rtp: RTP or
// TS over RTP; mpegts: TS over UDP or RTP; seq, moldudp64: always);
// `probe` never decodes. Datagrams that do not fit the forced mode are
// undecodable and the source stays unknown until one fits.
//
// Allocates at construction and when its kind is decided (the sequence
// engine or the TS analyser), never per datagram. Not thread-safe.

#include <array>
#include <cstdint>
#include <memory>

#include "absl/types/span.h"
#include "inet/ip_address.h"
#include "stats/sequence_tracker.h"
#include "stats/stall_detector.h"
#include "streams/decode_spec.h"
#include "streams/mpegts_analyzer.h"
#include "streams/sequence_extender.h"
#include "streams/stream_snapshot.h"

namespace mcast::streams {

struct StreamOptions {
  DecodeSpec decode;
  int64_t stall_timeout_ns = 3'000'000'000;
  stats::SequenceTracker::Options sequence;
  MpegTsLimits ts;  // ts.rtp is set per source.
  int64_t rate_window_ns = 1'000'000'000;
  size_t gap_log_capacity = 8;
};

class StreamFlow {
 public:
  StreamFlow(const StreamOptions& options, const inet::IpAddress& source,
             uint16_t port);

  // One UDP payload. mono_ns: CLOCK_MONOTONIC (windows, stalls); real_ns:
  // CLOCK_REALTIME (jitter, first/last time).
  void OnDatagram(absl::Span<const uint8_t> payload, int64_t mono_ns,
                  int64_t real_ns);
  // Stalls and reorder-window expiry; call it periodically.
  void Tick(int64_t mono_ns);
  // End of the measurement (or eviction): pending numbers become lost.
  void Finish();

  StreamSnapshot Snapshot(int64_t now_mono_ns) const;
  StreamKind kind() const { return kind_; }
  uint64_t packets() const { return packets_; }
  uint64_t bytes() const { return bytes_; }
  int64_t last_packet_mono_ns() const { return last_mono_ns_; }
  // Every run so far.
  stats::SequenceCounters SequenceTotals() const;

  // Heap bytes of one flow with these options at most.
  static size_t HeapBytes(const StreamOptions& options);

 private:
  void Classify(absl::Span<const uint8_t> payload);
  void SetKind(StreamKind kind);
  void Decode(absl::Span<const uint8_t> payload, int64_t mono_ns,
              int64_t real_ns);
  void OnRtp(absl::Span<const uint8_t> payload, int64_t mono_ns,
             int64_t real_ns);
  void OnSeq(absl::Span<const uint8_t> payload, int64_t mono_ns);
  void OnMold(absl::Span<const uint8_t> payload, int64_t mono_ns);
  // A new run (SSRC, session): the old one's counters are kept.
  void Restart();
  void RtpJitter(uint32_t rtp_timestamp, int64_t real_ns);

  StreamOptions options_;
  inet::IpAddress source_;
  uint16_t port_;
  StreamKind kind_ = StreamKind::kUnknown;
  uint64_t packets_ = 0;
  uint64_t bytes_ = 0;
  uint64_t undecodable_ = 0;
  int64_t first_real_ns_ = 0;
  int64_t last_real_ns_ = 0;
  int64_t last_mono_ns_ = 0;
  stats::StallDetector stall_;
  // Rate: bytes over the last complete window.
  int64_t window_start_ns_ = 0;
  uint64_t window_start_bytes_ = 0;
  int64_t last_window_end_ns_ = 0;
  double bit_rate_bps_ = 0;

  // Sequenced kinds.
  std::unique_ptr<stats::SequenceTracker> tracker_;
  SequenceExtender extender_;
  stats::SequenceCounters retired_;  // Runs before the current one.
  uint64_t restarts_ = 0;
  bool run_started_ = false;
  // RTP.
  uint32_t ssrc_ = 0;
  int payload_type_ = -1;
  bool has_transit_ = false;
  uint32_t transit_ = 0;
  double jitter_units_ = 0;
  // MoldUDP64.
  std::array<uint8_t, 10> session_{};
  uint64_t heartbeats_ = 0;
  bool end_of_session_ = false;
  // MPEG-TS.
  std::unique_ptr<MpegTsAnalyzer> ts_;
};

}  // namespace mcast::streams

#endif  // MCAST_STREAMS_STREAM_FLOW_H_
