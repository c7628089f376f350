#include "proc/proc_text.h"

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
