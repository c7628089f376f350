#include "proc/force_igmp_version.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "proc/proc_text.h"

namespace mcast::proc {

absl::StatusOr<int> ParseForceVersion(GroupProtocol protocol,
                                      absl::string_view text) {
  const absl::string_view value = absl::StripAsciiWhitespace(text);
  const int max = MaxGroupProtocolVersion(protocol);
  int64_t version = 0;
  if (!ParseDecimal(value, &version) || version < 0 || version > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(ForceVersionSysctlName(protocol), ": expected ",
                     max == 3 ? "0, 1, 2 or 3" : "0, 1 or 2", ", got '",
                     absl::CHexEscape(value), "'"));
  }
  return static_cast<int>(version);
}

absl::StatusOr<int> ParseForceIgmpVersion(absl::string_view text) {
  return ParseForceVersion(GroupProtocol::kIgmp, text);
}

}  // namespace mcast::proc
