#ifndef MCAST_UTIL_DSCP_H_
#define MCAST_UTIL_DSCP_H_

// DSCP code points by number (0-63) or by their RFC names: be/df/cs0-cs7,
// af11-af43, ef, va (voice-admit, RFC 5865). Names are case-insensitive.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcast::util {

absl::StatusOr<int> ParseDscp(absl::string_view text);

// The conventional lower-case name ("be" for 0, "ef", "af41", "cs5"), or the
// decimal number for code points without a name.
std::string DscpName(int dscp);

}  // namespace mcast::util

#endif  // MCAST_UTIL_DSCP_H_
