#include "util/dscp.h"

#include <array>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace mcast::util {
namespace {

// Order matters for DscpName: the first name listed for a value wins.
constexpr std::array<std::pair<const char*, int>, 24> kNames = {{
    {"be", 0},    {"df", 0},    {"cs0", 0},   {"cs1", 8},   {"af11", 10},
    {"af12", 12}, {"af13", 14}, {"cs2", 16},  {"af21", 18}, {"af22", 20},
    {"af23", 22}, {"cs3", 24},  {"af31", 26}, {"af32", 28}, {"af33", 30},
    {"cs4", 32},  {"af41", 34}, {"af42", 36}, {"af43", 38}, {"cs5", 40},
    {"va", 44},   {"ef", 46},   {"cs6", 48},  {"cs7", 56},
}};

}  // namespace

absl::StatusOr<int> ParseDscp(absl::string_view text) {
  std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  for (const auto& [name, value] : kNames) {
    if (lower == name) return value;
  }
  int value = 0;
  if (!lower.empty() && absl::ascii_isdigit(lower[0]) &&
      absl::SimpleAtoi(lower, &value) && value >= 0 && value <= 63) {
    return value;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("invalid DSCP '", text,
                   "': use 0-63 or a name (be, ef, va, af11-af43, cs0-cs7)"));
}

std::string DscpName(int dscp) {
  for (const auto& [name, value] : kNames) {
    if (value == dscp) return name;
  }
  return absl::StrCat(dscp);
}

}  // namespace mcast::util
