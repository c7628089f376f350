#include "cli/spec_flag.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "netif/interface_lookup.h"

namespace mcast::cli {

std::string SpecFlag(probe::SpecField field, bool positional_source) {
  if (field == probe::SpecField::kGroup) return "group";
  if (field == probe::SpecField::kSource && positional_source) return "source";
  return absl::StrCat(
      "--", absl::StrReplaceAll(probe::SpecFieldKey(field), {{"_", "-"}}));
}

absl::Status FlagError(absl::string_view flag, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::InvalidArgumentError(absl::StrCat(flag, ": ", status.message()));
}

absl::Status FirstProblem(const std::vector<probe::SpecProblem>& problems,
                          bool positional_source) {
  if (problems.empty()) return absl::OkStatus();
  return FlagError(SpecFlag(problems.front().field, positional_source),
                   absl::InvalidArgumentError(problems.front().reason));
}

absl::Status CheckInterfaceExists(const std::string& interface) {
  if (interface.empty()) return absl::OkStatus();
  absl::StatusOr<int> index = netif::InterfaceIndex(interface);
  if (index.ok()) return absl::OkStatus();
  return FlagError(SpecFlag(probe::SpecField::kInterface),
                   absl::InvalidArgumentError(index.status().message()));
}

}  // namespace mcast::cli
