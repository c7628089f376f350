#include "proc/force_igmp_version.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "proc/proc_text.h"

namespace mcast::proc {

absl::StatusOr<int> ParseForceIgmpVersion(absl::string_view text) {
  const absl::string_view value = absl::StripAsciiWhitespace(text);
  int64_t version = 0;
  if (!ParseDecimal(value, &version) || version < 0 || version > 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("force_igmp_version: expected 0, 1, 2 or 3, got '",
                     absl::CHexEscape(value), "'"));
  }
  return static_cast<int>(version);
}

}  // namespace mcast::proc
