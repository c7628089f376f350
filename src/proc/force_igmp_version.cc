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

absl::StatusOr<int> ReadForceIgmpVersion(const std::string& interface_name) {
  // A name with '/' or ".." would leave the conf folder: no interface has one.
  if (interface_name.empty() || interface_name == "." ||
      interface_name == ".." || interface_name.find('/') != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid interface name '", interface_name, "'"));
  }
  absl::StatusOr<std::string> text = ReadProcFile(absl::StrCat(
      "/proc/sys/net/ipv4/conf/", interface_name, "/force_igmp_version"));
  if (!text.ok()) return text.status();
  return ParseForceIgmpVersion(*text);
}

}  // namespace mcast::proc
