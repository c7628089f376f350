#include "proc/mcfilter_parser.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "proc/proc_text.h"

namespace mcast::proc {
namespace {

constexpr absl::string_view kFile = "/proc/net/mcfilter";

// "0xe8010101": the address as a number, i.e. in network order.
bool ParseAddress(absl::string_view field, inet::IpAddress* out) {
  if (!absl::ConsumePrefix(&field, "0x") || field.size() != 8) return false;
  uint32_t value = 0;
  if (!ParseHex32(field, &value)) return false;
  in_addr addr;
  addr.s_addr = htonl(value);
  *out = inet::IpAddress::FromV4(addr);
  return true;
}

bool ParseCount(absl::string_view field, int* out) {
  int64_t value = 0;
  if (!ParseDecimal(field, &value) || value < 0 || value > INT32_MAX) {
    return false;
  }
  *out = static_cast<int>(value);
  return true;
}

}  // namespace

absl::StatusOr<std::vector<McFilterEntry>> ParseMcFilterTable(
    const McFilterFormat& format, absl::string_view text) {
  const absl::string_view file = format.file;
  absl::StatusOr<std::vector<absl::string_view>> lines =
      SplitProcLines(file, text);
  if (!lines.ok()) return lines.status();
  if (lines->empty() || !absl::StartsWith((*lines)[0], "Idx Device")) {
    return LineError(file, 1, "missing the 'Idx Device' header",
                     lines->empty() ? "" : (*lines)[0]);
  }
  std::vector<McFilterEntry> result;
  for (size_t i = 1; i < lines->size(); ++i) {
    const absl::string_view line = (*lines)[i];
    const int n = static_cast<int>(i) + 1;
    const std::vector<absl::string_view> f = Fields(line);
    if (f.size() != 6) {
      return LineError(file, n, absl::StrCat("expected '", format.columns, "'"),
                       line);
    }
    McFilterEntry entry;
    if (!ParseCount(f[0], &entry.index) || entry.index == 0) {
      return LineError(file, n, "bad interface index", line);
    }
    entry.device = std::string(f[1]);
    if (!format.parse_address(f[2], &entry.group) ||
        !entry.group.is_multicast()) {
      return LineError(
          file, n,
          absl::StrCat("bad group (", format.address_form, " expected)"), line);
    }
    if (!format.parse_address(f[3], &entry.source)) {
      return LineError(
          file, n,
          absl::StrCat("bad source (", format.address_form, " expected)"),
          line);
    }
    if (!ParseCount(f[4], &entry.include_count) ||
        !ParseCount(f[5], &entry.exclude_count)) {
      return LineError(file, n, "bad INC or EXC count", line);
    }
    result.push_back(std::move(entry));
  }
  return result;
}

absl::StatusOr<std::vector<McFilterEntry>> ParseMcFilter(
    absl::string_view text) {
  return ParseMcFilterTable({kFile, "Idx Device MCA SRC INC EXC", ParseAddress,
                             "0x and 8 hex digits"},
                            text);
}

absl::StatusOr<std::vector<McFilterEntry>> ReadMcFilter() {
  absl::StatusOr<std::string> text = ReadProcFile(std::string(kFile));
  if (!text.ok()) return text.status();
  return ParseMcFilter(*text);
}

}  // namespace mcast::proc
