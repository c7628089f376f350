#include "streams/decode_spec.h"

#include "absl/strings/str_cat.h"

namespace mcast::streams {

std::string DecodeSpec::ToString() const {
  switch (mode) {
    case DecodeMode::kAuto:
      return "auto";
    case DecodeMode::kProbe:
      return "probe";
    case DecodeMode::kRtp:
      return "rtp";
    case DecodeMode::kMpegTs:
      return "mpegts";
    case DecodeMode::kSeq:
      return absl::StrCat("seq:", seq_offset, ":", seq_width,
                          seq_little_endian ? ":le" : ":be");
    case DecodeMode::kMoldUdp64:
      return "moldudp64";
  }
  return "auto";
}

}  // namespace mcast::streams
