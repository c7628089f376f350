// The /proc parsers: /proc/net/igmp, /proc/net/mcfilter, /proc/net/igmp6,
// force_igmp_version, /proc/net/mcfilter6, force_mld_version and the MLD
// report counters of /proc/net/dev_snmp6/<if>, and their combination into
// memberships and the MLD version in effect. The input is up to seven files
// in that order separated by a line "=====" (the seeds are real captures
// from tests/data/proc), and the whole input is also given to every parser.
// Invariants: what a parser accepts keeps the promises of its header, errors
// are one line of printable text, and BuildMemberships only reports groups and
// sources that the files listed.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "inet/ip_address.h"
#include "proc/force_igmp_version.h"
#include "proc/igmp6_parser.h"
#include "proc/igmp_parser.h"
#include "proc/mcfilter6_parser.h"
#include "proc/mcfilter_parser.h"
#include "proc/membership.h"
#include "proc/mld_report_counters.h"
#include "proc/mld_version_read_back.h"

namespace {

using namespace mcast::proc;  // NOLINT: a test harness, many names.
using mcast::inet::IpAddress;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

// Errors quote the offending line escaped: one line, printable ASCII.
void CheckError(const absl::Status& s) {
  Check(!s.ok() && !s.message().empty());
  for (char c : s.message()) {
    const unsigned char u = static_cast<unsigned char>(c);
    Check(u >= 0x20 && u < 0x7f);
  }
}

void CheckAll(absl::string_view igmp_text, absl::string_view mcfilter_text,
              absl::string_view igmp6_text, absl::string_view force_text,
              absl::string_view mcfilter6_text, absl::string_view force6_text,
              absl::string_view snmp6_text) {
  absl::StatusOr<std::vector<IgmpInterface>> igmp = ParseIgmp(igmp_text);
  if (igmp.ok()) {
    for (const IgmpInterface& i : *igmp) {
      Check(i.index > 0 && !i.name.empty() && i.count >= 0);
      Check(i.querier_version >= 1 && i.querier_version <= 3);
      for (const IgmpGroup& g : i.groups)
        Check(g.group.is_v4() && g.users >= 0);
    }
  } else {
    CheckError(igmp.status());
  }
  absl::StatusOr<std::vector<McFilterEntry>> mcfilter =
      ParseMcFilter(mcfilter_text);
  if (mcfilter.ok()) {
    for (const McFilterEntry& e : *mcfilter) {
      Check(e.index != 0 && e.group.is_v4() && e.group.is_multicast());
      Check(e.source.is_v4());
      Check(e.include_count >= 0 && e.exclude_count >= 0);
    }
  } else {
    CheckError(mcfilter.status());
  }
  absl::StatusOr<std::vector<Igmp6Entry>> igmp6 = ParseIgmp6(igmp6_text);
  if (igmp6.ok()) {
    for (const Igmp6Entry& e : *igmp6) Check(e.group.is_v6());
  } else {
    CheckError(igmp6.status());
  }
  absl::StatusOr<int> force = ParseForceIgmpVersion(force_text);
  if (force.ok()) {
    Check(*force >= 0 && *force <= 3);
  } else {
    CheckError(force.status());
  }

  absl::StatusOr<std::vector<McFilterEntry>> mcfilter6 =
      ParseMcFilter6(mcfilter6_text);
  if (mcfilter6.ok()) {
    for (const McFilterEntry& e : *mcfilter6) {
      Check(e.index != 0 && e.group.is_v6() && e.group.is_multicast());
      Check(e.source.is_v6());
      Check(e.include_count >= 0 && e.exclude_count >= 0);
    }
  } else {
    CheckError(mcfilter6.status());
  }
  absl::StatusOr<int> force6 =
      ParseForceVersion(GroupProtocol::kMld, force6_text);
  if (force6.ok()) {
    Check(*force6 >= 0 && *force6 <= 2);
  } else {
    CheckError(force6.status());
  }
  absl::StatusOr<MldReportCounters> reports =
      ParseMldReportCounters(snmp6_text);
  if (reports.ok()) {
    Check(reports->v1_reports >= 0 && reports->v2_reports >= 0);
    const int forced = force6.ok() ? *force6 : 0;
    const int version = MldVersionInEffect(forced, *reports);
    Check(version >= 0 && version <= 2);
    if (forced != 0) Check(version == forced);
    MldVersionReadBack read_back;
    read_back.Start(*reports);
    Check(read_back.Update(forced, *reports) == version);
  } else {
    CheckError(reports.status());
  }

  if (!igmp.ok()) return;
  const std::vector<McFilterEntry> no_filters;
  const std::vector<Igmp6Entry> no_igmp6;
  const std::vector<McFilterEntry>& filters =
      mcfilter.ok() ? *mcfilter : no_filters;
  const std::vector<Igmp6Entry>& v6 = igmp6.ok() ? *igmp6 : no_igmp6;
  const std::vector<McFilterEntry>& filters6 =
      mcfilter6.ok() ? *mcfilter6 : no_filters;
  std::set<std::string> groups;
  size_t listed = v6.size();
  for (const IgmpInterface& i : *igmp) {
    listed += i.groups.size();
    for (const IgmpGroup& g : i.groups) groups.insert(g.group.ToString());
  }
  for (const Igmp6Entry& e : v6) groups.insert(e.group.ToString());
  std::set<std::string> sources;
  for (const McFilterEntry& e : filters) sources.insert(e.source.ToString());
  for (const McFilterEntry& e : filters6) sources.insert(e.source.ToString());

  size_t reported = 0;
  for (const InterfaceMemberships& m :
       BuildMemberships(*igmp, filters, v6, filters6)) {
    for (const GroupMembership& g : m.groups) {
      ++reported;
      Check(groups.count(g.group.ToString()) == 1);
      Check(g.filter_mode == FilterMode::kInclude ||
            g.filter_mode == FilterMode::kExclude ||
            g.filter_mode == FilterMode::kUnknown);
      for (const IpAddress& s : g.sources) {
        Check(sources.count(s.ToString()) == 1);
      }
    }
  }
  Check(reported <= listed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<absl::string_view> parts = absl::StrSplit(text, "=====\n");
  parts.resize(7);
  CheckAll(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5],
           parts[6]);
  CheckAll(text, text, text, text, text, text, text);
  return 0;
}
