#include "proc/mcfilter6_parser.h"

#include "proc/proc_text.h"

namespace mcast::proc {
namespace {

constexpr absl::string_view kFile = "/proc/net/mcfilter6";

}  // namespace

absl::StatusOr<std::vector<McFilterEntry>> ParseMcFilter6(
    absl::string_view text) {
  return ParseMcFilterTable(
      {kFile, "Idx Device Multicast-Address Source-Address INC EXC",
       ParseHexIpv6, "32 hex digits"},
      text);
}

absl::StatusOr<std::vector<McFilterEntry>> ReadMcFilter6() {
  absl::StatusOr<std::string> text = ReadProcFile(std::string(kFile));
  if (!text.ok()) return text.status();
  return ParseMcFilter6(*text);
}

}  // namespace mcast::proc
