#include "util/byte_size.h"

#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mcast::util {
namespace {

absl::Status SizeError(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid size '", text, "': ", why,
                   " (use e.g. 268435456, \"256MiB\", \"1.5GiB\", \"500MB\")"));
}

}  // namespace

absl::StatusOr<uint64_t> ParseByteSize(absl::string_view text) {
  absl::string_view s = absl::StripAsciiWhitespace(text);
  if (s.empty()) return SizeError(text, "empty");
  static const std::pair<const char*, double> kUnits[] = {
      {"KiB", 1024.0},       {"MiB", 1048576.0},
      {"GiB", 1073741824.0}, {"TiB", 1099511627776.0},
      {"kB", 1e3},           {"KB", 1e3},
      {"MB", 1e6},           {"GB", 1e9},
      {"TB", 1e12},          {"B", 1.0}};
  double unit = 1;
  for (const auto& [suffix, factor] : kUnits) {
    if (absl::EndsWith(s, suffix)) {
      unit = factor;
      s.remove_suffix(absl::string_view(suffix).size());
      s = absl::StripTrailingAsciiWhitespace(s);
      break;
    }
  }
  double number = 0;
  if (s.empty() || !(absl::ascii_isdigit(s[0]) || s[0] == '.' || s[0] == '-') ||
      !absl::SimpleAtod(s, &number) || !std::isfinite(number)) {
    return SizeError(text, "not a number with an optional unit");
  }
  if (number < 0) return SizeError(text, "must not be negative");
  double bytes = number * unit;
  if (bytes >= 9.2e18) return SizeError(text, "too large");
  if (bytes != std::floor(bytes)) {
    return SizeError(text, "not a whole number of bytes");
  }
  return static_cast<uint64_t>(bytes);
}

std::string FormatByteSize(uint64_t bytes) {
  static const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return absl::StrCat(bytes, " B");
  double v = static_cast<double>(bytes);
  int i = -1;
  while (v >= 1024 && i < 5) {
    v /= 1024;
    ++i;
  }
  return absl::StrFormat("%.1f %s", v, kUnits[i]);
}

}  // namespace mcast::util
