#ifndef MCAST_CLI_SPEC_FLAG_H_
#define MCAST_CLI_SPEC_FLAG_H_

// How mcast-send and mcast-receive say which flag a probe/spec_check.h
// reason concerns: "--ttl: 256 is out of range (0 to 255)", the command
// line's counterpart of the exporter's "sender[0].ttl: ...". The reason
// itself is the shared text, word for word.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "probe/spec_check.h"

namespace mcast::cli {

// "--igmp-version" for kIgmpVersion; "group" for the positional group;
// "source" for kSource where it is a positional (mcast-receive's), else
// "--source".
std::string SpecFlag(probe::SpecField field, bool positional_source = false);

// InvalidArgument "FLAG: REASON" when `status` is an error, else OK.
absl::Status FlagError(absl::string_view flag, const absl::Status& status);

// The first problem as FlagError(SpecFlag(field), reason); OK when none.
absl::Status FirstProblem(const std::vector<probe::SpecProblem>& problems,
                          bool positional_source = false);

// "--interface: no interface named 'x'" unless `interface` is empty or
// exists. Only the command line insists on it when it starts: the exporter
// waits for its interfaces to appear.
absl::Status CheckInterfaceExists(const std::string& interface);

}  // namespace mcast::cli

#endif  // MCAST_CLI_SPEC_FLAG_H_
