#include "exporter/toml_problems.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "util/message_text.h"

namespace mcast::exporter {

TomlProblems::TomlProblems(absl::string_view file_name)
    : file_name_(file_name) {}

void TomlProblems::Add(uint32_t line, uint32_t column, absl::string_view key,
                       absl::string_view what) {
  ++total_;
  std::string where =
      line == 0 ? absl::StrCat(file_name_, ": ")
                : absl::StrCat(file_name_, ":", line, ":", column, ": ");
  problems_.push_back({line, column,
                       util::SanitizeLine(absl::StrCat(where, key, ": ", what),
                                          kMaxProblemLine)});
  if (problems_.size() >= 2 * kMaxReportedProblems) SortAndCut();
}

absl::Status TomlProblems::ToStatus() {
  SortAndCut();
  std::vector<std::string> lines;
  lines.reserve(problems_.size() + 1);
  for (const Problem& p : problems_) lines.push_back(p.text);
  if (total_ > problems_.size()) {
    lines.push_back(util::SanitizeLine(
        absl::StrCat(file_name_, ": and ", total_ - problems_.size(),
                     " more problems"),
        kMaxProblemLine));
  }
  return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
}

// Stable, so equal positions keep the order the checks reported them in.
void TomlProblems::SortAndCut() {
  std::stable_sort(problems_.begin(), problems_.end(),
                   [](const Problem& a, const Problem& b) {
                     return std::tie(a.line, a.column) <
                            std::tie(b.line, b.column);
                   });
  if (problems_.size() > kMaxReportedProblems) {
    problems_.resize(kMaxReportedProblems);
  }
}

}  // namespace mcast::exporter
