#include "util/duration.h"

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace mcast::util {
namespace {

absl::Status DurationError(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid duration '", text, "': ", why,
                   " (use e.g. 600, 2.5, 250ms, 3s, 10m, 1h)"));
}

}  // namespace

absl::StatusOr<absl::Duration> ParseDuration(absl::string_view text) {
  absl::string_view s = absl::StripAsciiWhitespace(text);
  if (s.empty()) return DurationError(text, "empty");
  double unit_seconds = 1;
  if (absl::EndsWith(s, "ms")) {
    unit_seconds = 1e-3;
    s.remove_suffix(2);
  } else if (absl::EndsWith(s, "s")) {
    s.remove_suffix(1);
  } else if (absl::EndsWith(s, "m")) {
    unit_seconds = 60;
    s.remove_suffix(1);
  } else if (absl::EndsWith(s, "h")) {
    unit_seconds = 3600;
    s.remove_suffix(1);
  }
  double number = 0;
  if (s.empty() || !(absl::ascii_isdigit(s[0]) || s[0] == '.' || s[0] == '-') ||
      !absl::SimpleAtod(s, &number) || !std::isfinite(number)) {
    return DurationError(text, "not a number with an optional unit");
  }
  if (number < 0) return DurationError(text, "must not be negative");
  double seconds = number * unit_seconds;
  // absl::Duration saturates far beyond this; a century is plenty.
  if (seconds > 100.0 * 365 * 86400) return DurationError(text, "too long");
  return absl::Seconds(seconds);
}

}  // namespace mcast::util
