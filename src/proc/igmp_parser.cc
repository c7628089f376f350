#include "proc/igmp_parser.h"

#include <netinet/in.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "proc/proc_text.h"

namespace mcast::proc {
namespace {

constexpr absl::string_view kFile = "/proc/net/igmp";

absl::Status ParseDeviceLine(absl::string_view line, int n,
                             IgmpInterface* out) {
  // "%d\t%-10s: %5d %7s": names never hold ':' or blanks (dev_valid_name).
  const size_t tab = line.find('\t');
  const size_t colon = line.find(':');
  if (tab == absl::string_view::npos || colon == absl::string_view::npos ||
      colon < tab) {
    return LineError(kFile, n, "expected 'Idx<TAB>Device : Count Querier'",
                     line);
  }
  int64_t index = 0;
  if (!ParseDecimal(line.substr(0, tab), &index) || index <= 0 ||
      index > INT32_MAX) {
    return LineError(kFile, n, "bad interface index", line);
  }
  const absl::string_view name =
      absl::StripAsciiWhitespace(line.substr(tab + 1, colon - tab - 1));
  if (name.empty()) return LineError(kFile, n, "empty interface name", line);
  const std::vector<absl::string_view> rest = Fields(line.substr(colon + 1));
  if (rest.size() != 2) {
    return LineError(kFile, n, "expected 'Count Querier' after the name", line);
  }
  int64_t count = 0;
  if (!ParseDecimal(rest[0], &count) || count < 0 || count > INT32_MAX) {
    return LineError(kFile, n, "bad group count", line);
  }
  if (rest[1] != "V1" && rest[1] != "V2" && rest[1] != "V3") {
    return LineError(kFile, n, "querier version is not V1, V2 or V3", line);
  }
  out->index = static_cast<int>(index);
  out->name = std::string(name);
  out->count = static_cast<int>(count);
  out->querier_version = rest[1][1] - '0';
  return absl::OkStatus();
}

absl::Status ParseGroupLine(absl::string_view line, int n, IgmpGroup* out) {
  // "\t\t\t\t%08X %5d %d:%08lX\t\t%d"
  const std::vector<absl::string_view> f = Fields(line);
  if (f.size() != 4) {
    return LineError(kFile, n, "expected 'Group Users Timer Reporter'", line);
  }
  uint32_t raw = 0;
  if (f[0].size() != 8 || !ParseHex32(f[0], &raw)) {
    return LineError(kFile, n, "bad group (8 hex digits expected)", line);
  }
  // The kernel prints the __be32 as a number: its in-memory bytes are the
  // address, whatever the host byte order.
  in_addr addr;
  addr.s_addr = raw;
  out->group = inet::IpAddress::FromV4(addr);
  int64_t users = 0;
  if (!ParseDecimal(f[1], &users) || users < 0 || users > INT32_MAX) {
    return LineError(kFile, n, "bad user count", line);
  }
  out->users = static_cast<int>(users);
  const std::vector<absl::string_view> timer = absl::StrSplit(f[2], ':');
  if (timer.size() != 2 || (timer[0] != "0" && timer[0] != "1") ||
      !ParseHex32(timer[1], &out->timer_remaining)) {
    return LineError(kFile, n, "bad timer (running:remaining expected)", line);
  }
  out->timer_running = timer[0] == "1";
  if (f[3] != "0" && f[3] != "1") {
    return LineError(kFile, n, "reporter is not 0 or 1", line);
  }
  out->reporter = f[3] == "1";
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<IgmpInterface>> ParseIgmp(absl::string_view text) {
  absl::StatusOr<std::vector<absl::string_view>> lines =
      SplitProcLines(kFile, text);
  if (!lines.ok()) return lines.status();
  if (lines->empty() || !absl::StartsWith((*lines)[0], "Idx\tDevice")) {
    return LineError(kFile, 1, "missing the 'Idx\\tDevice' header",
                     lines->empty() ? "" : (*lines)[0]);
  }
  std::vector<IgmpInterface> result;
  for (size_t i = 1; i < lines->size(); ++i) {
    const absl::string_view line = (*lines)[i];
    const int n = static_cast<int>(i) + 1;
    if (absl::StartsWith(line, "\t")) {
      if (result.empty()) {
        return LineError(kFile, n, "group line before any interface line",
                         line);
      }
      IgmpGroup group;
      if (absl::Status s = ParseGroupLine(line, n, &group); !s.ok()) return s;
      result.back().groups.push_back(group);
    } else {
      IgmpInterface iface;
      if (absl::Status s = ParseDeviceLine(line, n, &iface); !s.ok()) return s;
      result.push_back(std::move(iface));
    }
  }
  return result;
}

absl::StatusOr<std::vector<IgmpInterface>> ReadIgmp() {
  absl::StatusOr<std::string> text = ReadProcFile(std::string(kFile));
  if (!text.ok()) return text.status();
  return ParseIgmp(*text);
}

}  // namespace mcast::proc
