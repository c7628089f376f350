#ifndef MCAST_STREAMS_DECODE_SPEC_H_
#define MCAST_STREAMS_DECODE_SPEC_H_

// How a receiver reads the datagrams on its group that are not probe
// packets (mcast-receive --decode, the exporter's `decode = "..."`). The
// text form is parsed and checked in one place, probe/spec_check.h.
//
//   auto       probe packets as probes; every other source is classified
//              (RTP, MPEG-TS over UDP, MPEG-TS over RTP, unknown) and the
//              sequenced ones measured
//   probe      probe packets only; other sources are counted, not decoded
//   rtp        RTP (RFC 3550): sequence, SSRC runs, jitter; TS inside too
//   mpegts     MPEG-TS over UDP or RTP (TR 101 290 priority 1)
//   seq:OFFSET:WIDTH[:be|le]
//              an unsigned sequence number of WIDTH (1, 2, 4, 8) bytes at
//              OFFSET in the UDP payload, big-endian unless `le`
//   moldudp64  MoldUDP64: session, sequence, message count
//
// Probe packets (valid probe header) are always measured as probes.

#include <cstdint>
#include <string>

namespace mcast::streams {

enum class DecodeMode { kAuto, kProbe, kRtp, kMpegTs, kSeq, kMoldUdp64 };

inline constexpr uint32_t kDefaultRtpClockRate = 90000;

struct DecodeSpec {
  DecodeMode mode = DecodeMode::kAuto;
  // kSeq only.
  uint32_t seq_offset = 0;
  uint32_t seq_width = 0;  // Bytes: 1, 2, 4 or 8.
  bool seq_little_endian = false;
  // RTP timestamp clock (Hz) for the interarrival jitter.
  uint32_t rtp_clock_rate = kDefaultRtpClockRate;

  // The canonical text ("auto", "seq:4:4:be", ...).
  std::string ToString() const;
  friend bool operator==(const DecodeSpec&, const DecodeSpec&) = default;
};

}  // namespace mcast::streams

#endif  // MCAST_STREAMS_DECODE_SPEC_H_
