#include "proc/mcfilter6_parser.h"

#include "absl/strings/match.h"
#include "proc/proc_text.h"

namespace mcast::proc {
namespace {

constexpr absl::string_view kFile = "/proc/net/mcfilter6";

bool ParseCount(absl::string_view field, int* out) {
  int64_t value = 0;
  if (!ParseDecimal(field, &value) || value < 0 || value > INT32_MAX) {
    return false;
  }
  *out = static_cast<int>(value);
  return true;
}

}  // namespace

absl::StatusOr<std::vector<McFilterEntry>> ParseMcFilter6(
    absl::string_view text) {
  absl::StatusOr<std::vector<absl::string_view>> lines =
      SplitProcLines(kFile, text);
  if (!lines.ok()) return lines.status();
  if (lines->empty() || !absl::StartsWith((*lines)[0], "Idx Device")) {
    return LineError(kFile, 1, "missing the 'Idx Device' header",
                     lines->empty() ? "" : (*lines)[0]);
  }
  std::vector<McFilterEntry> result;
  for (size_t i = 1; i < lines->size(); ++i) {
    const absl::string_view line = (*lines)[i];
    const int n = static_cast<int>(i) + 1;
    const std::vector<absl::string_view> f = Fields(line);
    if (f.size() != 6) {
      return LineError(
          kFile, n,
          "expected 'Idx Device Multicast-Address Source-Address INC EXC'",
          line);
    }
    McFilterEntry entry;
    if (!ParseCount(f[0], &entry.index) || entry.index == 0) {
      return LineError(kFile, n, "bad interface index", line);
    }
    entry.device = std::string(f[1]);
    if (!ParseHexIpv6(f[2], &entry.group) || !entry.group.is_multicast()) {
      return LineError(kFile, n, "bad group (32 hex digits expected)", line);
    }
    if (!ParseHexIpv6(f[3], &entry.source)) {
      return LineError(kFile, n, "bad source (32 hex digits expected)", line);
    }
    if (!ParseCount(f[4], &entry.include_count) ||
        !ParseCount(f[5], &entry.exclude_count)) {
      return LineError(kFile, n, "bad INC or EXC count", line);
    }
    result.push_back(std::move(entry));
  }
  return result;
}

absl::StatusOr<std::vector<McFilterEntry>> ReadMcFilter6() {
  absl::StatusOr<std::string> text = ReadProcFile(std::string(kFile));
  if (!text.ok()) return text.status();
  return ParseMcFilter6(*text);
}

}  // namespace mcast::proc
