#include "util/rate.h"

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mcast::util {
namespace {

struct Suffix {
  const char* text;
  Rate::Unit unit;
  double scale;
};

// Longest first, so "kbps" is not taken for "bps".
constexpr Suffix kSuffixes[] = {
    {"kbps", Rate::Unit::kBitsPerSecond, 1e3},
    {"mbps", Rate::Unit::kBitsPerSecond, 1e6},
    {"gbps", Rate::Unit::kBitsPerSecond, 1e9},
    {"bps", Rate::Unit::kBitsPerSecond, 1},
    {"pps", Rate::Unit::kPacketsPerSecond, 1},
};

absl::Status RateError(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid rate '", text, "': ", why,
                   " (use e.g. 25pps, 1000, 64kbps, 1.5Mbps, 1Gbps)"));
}

}  // namespace

double Rate::PacketsPerSecond(size_t datagram_size) const {
  if (unit == Unit::kPacketsPerSecond) return value;
  return value / (8.0 * static_cast<double>(datagram_size));
}

std::string Rate::ToString() const {
  if (unit == Unit::kPacketsPerSecond) return absl::StrFormat("%gpps", value);
  if (value >= 1e9) return absl::StrFormat("%gGbps", value / 1e9);
  if (value >= 1e6) return absl::StrFormat("%gMbps", value / 1e6);
  if (value >= 1e3) return absl::StrFormat("%gkbps", value / 1e3);
  return absl::StrFormat("%gbps", value);
}

absl::StatusOr<Rate> ParseRate(absl::string_view text) {
  std::string s = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  if (s.empty()) return RateError(text, "empty");
  Rate rate;
  double scale = 1;
  for (const Suffix& suffix : kSuffixes) {
    absl::string_view sv(s);
    if (absl::EndsWith(sv, suffix.text)) {
      s.resize(s.size() - absl::string_view(suffix.text).size());
      rate.unit = suffix.unit;
      scale = suffix.scale;
      break;
    }
  }
  double number = 0;
  if (s.empty() || !(absl::ascii_isdigit(s[0]) || s[0] == '.' || s[0] == '-') ||
      !absl::SimpleAtod(s, &number) || !std::isfinite(number)) {
    return RateError(text, "not a number with a unit");
  }
  if (number < 0) return RateError(text, "must be positive");
  if (number == 0) return RateError(text, "must be greater than zero");
  rate.value = number * scale;
  // "1e308gbps" is a finite number times a finite scale, but not a rate.
  if (!std::isfinite(rate.value)) return RateError(text, "too large");
  return rate;
}

}  // namespace mcast::util
