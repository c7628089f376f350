#ifndef MCAST_UTIL_DURATION_H_
#define MCAST_UTIL_DURATION_H_

// Durations as users write them on the command line and in configs:
// "600" and "2.5" are seconds; "250ms", "3s", "10m", "1h" carry a unit.
// Negative, empty and non-finite values are errors; zero is allowed (the
// callers give it a meaning such as "forever").

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace mcast::util {

absl::StatusOr<absl::Duration> ParseDuration(absl::string_view text);

}  // namespace mcast::util

#endif  // MCAST_UTIL_DURATION_H_
