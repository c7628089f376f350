#ifndef MCAST_PROC_MCFILTER6_PARSER_H_
#define MCAST_PROC_MCFILTER6_PARSER_H_

// /proc/net/mcfilter6: the IPv6 source filters (MLDv2 / SSM), one line per
// (interface, group, source), after a header line. The kernel prints
// "%3d %6.6s %pi6 %pi6 %6lu %6lu":
//
//   Idx Device                Multicast Address                   Source
//   Address    INC    EXC
//     3   mld0 ff3e0000000000000000000080000001
//     20010db8000000000000000000000005      1      0
//
// Addresses are 32 hex digits (network order). INC counts the sockets that
// include the source (source-specific joins), EXC the sockets that exclude
// (block) it. The device name is cut to 6 characters: match on the index.
//
// The entries are the IPv4 file's (McFilterEntry, with IPv6 addresses), and
// the listing has the same gap: the kernel's igmp6_mcf_get_first starts at
// the first device whose newest group has sources, exactly as for
// /proc/net/mcfilter (membership.h says which groups that leaves unknown).

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proc/mcfilter_parser.h"

namespace mcast::proc {

// Parses the text of /proc/net/mcfilter6. Errors name the line and problem.
absl::StatusOr<std::vector<McFilterEntry>> ParseMcFilter6(
    absl::string_view text);

// Reads and parses /proc/net/mcfilter6 of the current network namespace. A
// kernel without IPv6 has no such file: that gives NotFound.
absl::StatusOr<std::vector<McFilterEntry>> ReadMcFilter6();

}  // namespace mcast::proc

#endif  // MCAST_PROC_MCFILTER6_PARSER_H_
