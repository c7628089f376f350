#include "proc/proc_text.h"

#include <netinet/in.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "util/errno_status.h"

namespace mcast::proc {

absl::StatusOr<std::vector<absl::string_view>> SplitProcLines(
    absl::string_view file, absl::string_view text) {
  if (text.empty()) return std::vector<absl::string_view>{};
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  if (!lines.back().empty()) {
    return LineError(file, static_cast<int>(lines.size()),
                     "truncated line (no end of line)", lines.back());
  }
  lines.pop_back();
  return lines;
}

absl::Status LineError(absl::string_view file, int line_number,
                       absl::string_view what, absl::string_view line) {
  return absl::InvalidArgumentError(absl::StrCat(file, " line ", line_number,
                                                 ": ", what, ": '",
                                                 absl::CHexEscape(line), "'"));
}

std::vector<absl::string_view> Fields(absl::string_view line) {
  return absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
}

bool ParseDecimal(absl::string_view field, int64_t* out) {
  // SimpleAtoi accepts surrounding blanks and a '+': /proc never writes them.
  if (field.empty() || !(absl::ascii_isdigit(field[0]) || field[0] == '-')) {
    return false;
  }
  return absl::SimpleAtoi(field, out);
}

bool ParseHex32(absl::string_view field, uint32_t* out) {
  if (field.empty() || field.size() > 8) return false;
  for (char c : field) {
    if (!absl::ascii_isxdigit(c)) return false;
  }
  return absl::SimpleHexAtoi(field, out);
}

bool ParseHexIpv6(absl::string_view field, inet::IpAddress* out) {
  if (field.size() != 32) return false;
  in6_addr addr;
  for (int i = 0; i < 4; ++i) {
    uint32_t word = 0;
    if (!ParseHex32(field.substr(i * 8, 8), &word)) return false;
    for (int b = 0; b < 4; ++b) {
      addr.s6_addr[i * 4 + b] = static_cast<uint8_t>(word >> (24 - 8 * b));
    }
  }
  *out = inet::IpAddress::FromV6(addr);
  return true;
}

absl::StatusOr<std::string> ReadProcFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return util::ErrnoToStatus(errno, absl::StrCat("cannot read ", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::InternalError(absl::StrCat("cannot read ", path));
  return text.str();
}

}  // namespace mcast::proc
