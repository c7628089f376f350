#include "proc/igmp6_parser.h"

#include "proc/proc_text.h"

namespace mcast::proc {
namespace {

constexpr absl::string_view kFile = "/proc/net/igmp6";

}  // namespace

absl::StatusOr<std::vector<Igmp6Entry>> ParseIgmp6(absl::string_view text) {
  absl::StatusOr<std::vector<absl::string_view>> lines =
      SplitProcLines(kFile, text);
  if (!lines.ok()) return lines.status();
  std::vector<Igmp6Entry> result;
  for (size_t i = 0; i < lines->size(); ++i) {
    const absl::string_view line = (*lines)[i];
    const int n = static_cast<int>(i) + 1;
    const std::vector<absl::string_view> f = Fields(line);
    if (f.size() != 6) {
      return LineError(kFile, n,
                       "expected 'Idx Device Group Users Flags Timer'", line);
    }
    Igmp6Entry entry;
    int64_t value = 0;
    if (!ParseDecimal(f[0], &value) || value <= 0 || value > INT32_MAX) {
      return LineError(kFile, n, "bad interface index", line);
    }
    entry.index = static_cast<int>(value);
    entry.device = std::string(f[1]);
    if (!ParseHexIpv6(f[2], &entry.group) || !entry.group.is_multicast()) {
      return LineError(kFile, n, "bad group (32 hex digits expected)", line);
    }
    if (!ParseDecimal(f[3], &value) || value < 0 || value > INT32_MAX) {
      return LineError(kFile, n, "bad user count", line);
    }
    entry.users = static_cast<int>(value);
    if (f[4].size() != 8 || !ParseHex32(f[4], &entry.flags)) {
      return LineError(kFile, n, "bad flags (8 hex digits expected)", line);
    }
    if (!ParseDecimal(f[5], &entry.timer)) {
      return LineError(kFile, n, "bad timer", line);
    }
    result.push_back(std::move(entry));
  }
  return result;
}

absl::StatusOr<std::vector<Igmp6Entry>> ReadIgmp6() {
  absl::StatusOr<std::string> text = ReadProcFile(std::string(kFile));
  if (!text.ok()) return text.status();
  return ParseIgmp6(*text);
}

}  // namespace mcast::proc
