#include "probe/decode_spec_parser.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "util/message_text.h"

namespace mcast::probe {
namespace {

constexpr const char* kAllowed = kDecodeAllowed;

absl::Status Invalid(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat(util::QuoteUntrusted(text), " is not a decoder: ", why));
}

// Digits only (no sign, no spaces), as SimpleAtoi alone would accept more.
bool ParseDigits(absl::string_view text, uint32_t* out) {
  if (text.empty() || text.size() > 9) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return absl::SimpleAtoi(text, out);
}

}  // namespace

absl::StatusOr<streams::DecodeSpec> ParseDecodeSpec(absl::string_view text) {
  streams::DecodeSpec spec;
  if (text == "auto") return spec;
  if (text == "probe") {
    spec.mode = streams::DecodeMode::kProbe;
    return spec;
  }
  if (text == "rtp") {
    spec.mode = streams::DecodeMode::kRtp;
    return spec;
  }
  if (text == "mpegts") {
    spec.mode = streams::DecodeMode::kMpegTs;
    return spec;
  }
  if (text == "moldudp64") {
    spec.mode = streams::DecodeMode::kMoldUdp64;
    return spec;
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  if (parts[0] != "seq")
    return Invalid(text, absl::StrCat("expected ", kAllowed));
  if (parts.size() < 3 || parts.size() > 4) {
    return Invalid(text, "expected seq:OFFSET:WIDTH[:be|le]");
  }
  spec.mode = streams::DecodeMode::kSeq;
  if (!ParseDigits(parts[1], &spec.seq_offset) ||
      spec.seq_offset >= kMaxUdpPayload) {
    return Invalid(text, absl::StrCat("OFFSET must be a byte offset 0..",
                                      kMaxUdpPayload - 1));
  }
  if (!ParseDigits(parts[2], &spec.seq_width) ||
      (spec.seq_width != 1 && spec.seq_width != 2 && spec.seq_width != 4 &&
       spec.seq_width != 8)) {
    return Invalid(text, "WIDTH must be 1, 2, 4 or 8 bytes");
  }
  if (spec.seq_offset + spec.seq_width > kMaxUdpPayload) {
    return Invalid(text, absl::StrCat("OFFSET + WIDTH exceeds the largest "
                                      "UDP payload (",
                                      kMaxUdpPayload, " bytes)"));
  }
  if (parts.size() == 4) {
    if (parts[3] == "le") {
      spec.seq_little_endian = true;
    } else if (parts[3] != "be") {
      return Invalid(text, "byte order must be be or le");
    }
  }
  return spec;
}

absl::StatusOr<uint32_t> CheckRtpClockRate(int64_t hz) {
  if (hz < kMinRtpClockRate || hz > kMaxRtpClockRate) {
    return absl::InvalidArgumentError(
        absl::StrCat(hz, " is not an RTP clock rate: ", kMinRtpClockRate, "..",
                     kMaxRtpClockRate, " Hz"));
  }
  return static_cast<uint32_t>(hz);
}

}  // namespace mcast::probe
