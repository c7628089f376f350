#ifndef MCAST_PROC_PROC_TEXT_H_
#define MCAST_PROC_PROC_TEXT_H_

// Shared pieces of the /proc parsers: reading a /proc file whole, splitting
// its text into numbered lines, and the error format every parser uses
// ("<file> line N: <what was wrong>: '<line>'"), so a bad kernel file is
// reported precisely and never crashes the tool.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "inet/ip_address.h"

namespace mcast::proc {

// The lines of a /proc file. A real /proc file always ends with a newline,
// so text that does not is a truncated read: that is an error naming the
// last line.
absl::StatusOr<std::vector<absl::string_view>> SplitProcLines(
    absl::string_view file, absl::string_view text);

// InvalidArgument "<file> line <n>: <what>: '<line>'".
absl::Status LineError(absl::string_view file, int line_number,
                       absl::string_view what, absl::string_view line);

// Whitespace-separated fields (spaces and tabs).
std::vector<absl::string_view> Fields(absl::string_view line);

// Strict numbers: the whole field must be a number that fits.
bool ParseDecimal(absl::string_view field, int64_t* out);
bool ParseHex32(absl::string_view field, uint32_t* out);
// An IPv6 address as /proc prints it (%pi6): exactly 32 hex digits, in
// network order.
bool ParseHexIpv6(absl::string_view field, inet::IpAddress* out);

// Reads a whole file. NotFound when it does not exist (e.g. no IPv4
// multicast support or no such interface), otherwise the code
// util::ErrnoToStatus gives the failure, with the errno text.
absl::StatusOr<std::string> ReadProcFile(const std::string& path);

}  // namespace mcast::proc

#endif  // MCAST_PROC_PROC_TEXT_H_
