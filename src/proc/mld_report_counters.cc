#include "proc/mld_report_counters.h"

#include "absl/strings/str_cat.h"
#include "proc/force_igmp_version_file.h"
#include "proc/proc_text.h"

namespace mcast::proc {
namespace {

constexpr absl::string_view kFile = "/proc/net/dev_snmp6";

}  // namespace

absl::StatusOr<MldReportCounters> ParseMldReportCounters(
    absl::string_view text) {
  absl::StatusOr<std::vector<absl::string_view>> lines =
      SplitProcLines(kFile, text);
  if (!lines.ok()) return lines.status();
  MldReportCounters c;
  bool v1 = false, v2 = false;
  for (size_t i = 0; i < lines->size(); ++i) {
    const absl::string_view line = (*lines)[i];
    const std::vector<absl::string_view> f = Fields(line);
    int64_t value = 0;
    if (f.size() != 2 || !ParseDecimal(f[1], &value) || value < 0) {
      return LineError(kFile, static_cast<int>(i) + 1, "expected 'Name value'",
                       line);
    }
    if (f[0] == "Icmp6OutGroupMembResponses") {
      c.v1_reports = value;
      v1 = true;
    } else if (f[0] == "Icmp6OutMLDv2Reports") {
      c.v2_reports = value;
      v2 = true;
    }
  }
  if (!v1 || !v2) {
    return absl::InvalidArgumentError(
        absl::StrCat(kFile, ": no ",
                     v1 ? "Icmp6OutMLDv2Reports" : "Icmp6OutGroupMembResponses",
                     " counter"));
  }
  return c;
}

absl::StatusOr<MldReportCounters> ReadMldReportCounters(
    absl::string_view iface, absl::string_view proc_root) {
  if (absl::Status s = CheckConfInterfaceName(iface); !s.ok()) return s;
  absl::StatusOr<std::string> text =
      ReadProcFile(absl::StrCat(proc_root, "/net/dev_snmp6/", iface));
  if (!text.ok()) return text.status();
  return ParseMldReportCounters(*text);
}

}  // namespace mcast::proc
