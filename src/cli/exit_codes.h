#ifndef MCAST_CLI_EXIT_CODES_H_
#define MCAST_CLI_EXIT_CODES_H_

// The exit codes of all four tools (sysexits(3)), in one place. README.md's
// "Exit codes" table is this one; keep them together.
//
//   code  meaning                      when
//   0     ok
//   64    bad usage       EX_USAGE     a flag or argument is wrong (CLI11
//                                      parse, the tool's own checks), or
//                                      a core error InvalidArgument/OutOfRange
//   69    unavailable     EX_UNAVAILABLE  NotFound, Unavailable,
//                                      PermissionDenied, Unimplemented: the
//                                      interface, route, port, file or kernel
//                                      feature is missing, busy or not ours
//   70    internal error  EX_SOFTWARE  an exception reached a front end
//   71    OS error        EX_OSERR     any other core error (Internal,
//                                      ResourceExhausted, AlreadyExists ...)
//   78    bad config      EX_CONFIG    mcast-exporter: the config file is
//                                      missing, unreadable or invalid, or
//                                      needs more file descriptors than
//                                      the open-file limit (fd_budget.h)
//
// Where a failure happens decides 64 and 78 (a bad --interface is usage
// whatever code the lookup gave; every config loading error is 78); every
// other error is mapped from its absl::StatusCode by ExitCodeFor().

#include <string>

#include "absl/status/status.h"

namespace mcast::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 64;        // EX_USAGE
inline constexpr int kExitUnavailable = 69;  // EX_UNAVAILABLE
inline constexpr int kExitSoftware = 70;     // EX_SOFTWARE
inline constexpr int kExitOsError = 71;      // EX_OSERR
inline constexpr int kExitConfig = 78;       // EX_CONFIG

// The exit code for a core error, by its code (table above).
int ExitCodeFor(const absl::Status& status);

// Prints "PROGRAM: message" on stderr: one readable line per error.
void PrintError(const char* program, const std::string& message);

}  // namespace mcast::cli

#endif  // MCAST_CLI_EXIT_CODES_H_
