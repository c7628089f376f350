#ifndef MCAST_PROBE_DECODE_SPEC_PARSER_H_
#define MCAST_PROBE_DECODE_SPEC_PARSER_H_

// The one parser of a decode spec (streams/decode_spec.h), for both front
// ends: mcast-receive --decode and the exporter's receiver key `decode`
// (plus `rtp_clock_rate`). Like spec_check.h, a reason never names the flag
// or key; the front end adds where the text came from.
//
//   auto | probe | rtp | mpegts | moldudp64 | seq:OFFSET:WIDTH[:be|le]
//
// OFFSET: 0..65506 (a byte of the largest UDP payload, 65507 bytes);
// WIDTH: 1, 2, 4 or 8 bytes, and OFFSET + WIDTH must fit in 65507.

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "streams/decode_spec.h"

namespace mcast::probe {

inline constexpr uint32_t kMaxUdpPayload = 65507;
inline constexpr int64_t kMinRtpClockRate = 1;
inline constexpr int64_t kMaxRtpClockRate = 10'000'000;
// What a decode spec may be, for "expected a string (...)" messages.
inline constexpr char kDecodeAllowed[] =
    "auto, probe, rtp, mpegts, moldudp64 or seq:OFFSET:WIDTH[:be|le]";

// The mode and seq fields; rtp_clock_rate keeps its default.
absl::StatusOr<streams::DecodeSpec> ParseDecodeSpec(absl::string_view text);
// An RTP timestamp clock in Hz.
absl::StatusOr<uint32_t> CheckRtpClockRate(int64_t hz);

}  // namespace mcast::probe

#endif  // MCAST_PROBE_DECODE_SPEC_PARSER_H_
