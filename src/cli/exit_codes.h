#ifndef MCAST_CLI_EXIT_CODES_H_
#define MCAST_CLI_EXIT_CODES_H_

// sysexits(3) codes the tools return, and the mapping from core errors.

#include <string>

#include "absl/status/status.h"

namespace mcast::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 64;         // EX_USAGE
inline constexpr int kExitUnavailable = 69;   // EX_UNAVAILABLE
inline constexpr int kExitSoftware = 70;      // EX_SOFTWARE
inline constexpr int kExitOsError = 71;       // EX_OSERR
inline constexpr int kExitNoPermission = 77;  // EX_NOPERM
inline constexpr int kExitConfig = 78;        // EX_CONFIG

// Bad input is usage; a missing resource or permission is unavailable;
// anything else the OS refused is an OS error.
int ExitCodeFor(const absl::Status& status);

// Prints "PROGRAM: message" on stderr: one readable line per error.
void PrintError(const char* program, const std::string& message);

}  // namespace mcast::cli

#endif  // MCAST_CLI_EXIT_CODES_H_
