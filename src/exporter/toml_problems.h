#ifndef MCAST_EXPORTER_TOML_PROBLEMS_H_
#define MCAST_EXPORTER_TOML_PROBLEMS_H_

// The problems found in one config file, kept with their positions so the
// report lists them in file order whatever order the checks ran in.
//
// Error output is for a person fixing a file: the first
// kMaxReportedProblems in file order, then "FILE: and N more problems",
// each line "FILE:LINE:COL: KEY: what" made one line of printable ASCII of
// at most kMaxProblemLine bytes, whatever the file holds. A file of a
// million bad keys costs neither memory nor output: the list is cut as it
// grows.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace mcast::exporter {

inline constexpr size_t kMaxReportedProblems = 20;
inline constexpr size_t kMaxProblemLine = 1024;

class TomlProblems {
 public:
  explicit TomlProblems(absl::string_view file_name);

  // Line 0 means no position: tables toml++ creates implicitly (from
  // dotted keys) have none, and "FILE:0:0" would only confuse.
  void Add(uint32_t line, uint32_t column, absl::string_view key,
           absl::string_view what);

  bool empty() const { return problems_.empty(); }

  // kInvalidArgument with every kept line joined by '\n'.
  absl::Status ToStatus();

 private:
  struct Problem {
    uint32_t line;
    uint32_t column;
    std::string text;
  };
  void SortAndCut();

  std::string file_name_;
  std::vector<Problem> problems_;
  size_t total_ = 0;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_TOML_PROBLEMS_H_
