#ifndef MCAST_STREAMS_STREAM_SNAPSHOT_H_
#define MCAST_STREAMS_STREAM_SNAPSHOT_H_

// What a receiver knows about one non-probe source (address, port) on its
// group, and about all of them: plain values, safe to copy to another
// thread (the CLI's dashboard and JSON, the exporter's scrape).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "inet/ip_address.h"
#include "stats/sequence_tracker.h"
#include "stats/stall_detector.h"
#include "streams/mpegts_analyzer.h"

namespace mcast::streams {

// What a source looks like. kProbe is not used by the stream table (probe
// packets go to the probe engine); it is there for lists of both.
enum class StreamKind {
  kUnknown,
  kProbe,
  kRtp,
  kMpegTsUdp,
  kMpegTsRtp,
  kSequenced,
  kMoldUdp64,
};
// JSON/metric label: "unknown", "probe", "rtp", "mpegts", "rtp-mpegts",
// "seq", "moldudp64".
const char* StreamKindName(StreamKind kind);
// For people: "unknown", "probe", "RTP", "MPEG-TS", "RTP/MPEG-TS",
// "sequenced", "MoldUDP64".
const char* StreamKindLabel(StreamKind kind);
// Whether the kind has a sequence number the engine measures.
bool StreamKindSequenced(StreamKind kind);

struct StreamSnapshot {
  inet::IpAddress source;
  uint16_t port = 0;
  StreamKind kind = StreamKind::kUnknown;
  uint64_t packets = 0;     // Datagrams.
  uint64_t bytes = 0;       // UDP payload bytes.
  double bit_rate_bps = 0;  // Last complete 1 s window; 0 when stale.
  int64_t first_packet_real_ns = 0;
  int64_t last_packet_real_ns = 0;
  int64_t last_packet_mono_ns = 0;
  stats::FlowState state = stats::FlowState::kWaiting;
  uint64_t stalls = 0;
  double stalled_seconds = 0;
  // Datagrams the source's decoder could not read (RTP version not 2, a
  // sequence field beyond the datagram, a MoldUDP64 header that does not
  // match its length): counted here only.
  uint64_t undecodable = 0;

  // Sequenced kinds: every run of the source. For MoldUDP64 the numbers
  // are messages, not datagrams.
  stats::SequenceCounters sequence;
  uint64_t restarts = 0;   // New SSRC / MoldUDP64 session.
  uint64_t first_seq = 0;  // Current run, extended to 64 bits.
  uint64_t last_seq = 0;

  // RTP (also TS over RTP).
  uint32_t ssrc = 0;
  int payload_type = -1;      // -1: no RTP packet yet.
  double jitter_seconds = 0;  // RFC 3550 A.8, current run.

  // MoldUDP64.
  std::string session;  // 10 bytes, trailing spaces trimmed.
  uint64_t heartbeats = 0;
  bool end_of_session = false;

  // MPEG-TS kinds.
  std::optional<MpegTsSnapshot> ts;
};

struct StreamTableSnapshot {
  std::vector<StreamSnapshot> streams;  // Sorted by source text, then port.
  uint64_t evicted = 0;  // Sources dropped to make room for new ones.
  // Totals over every source, evicted ones included.
  uint64_t packets = 0;
  uint64_t bytes = 0;
  stats::SequenceCounters sequence;
};

}  // namespace mcast::streams

#endif  // MCAST_STREAMS_STREAM_SNAPSHOT_H_
