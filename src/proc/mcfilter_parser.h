#ifndef MCAST_PROC_MCFILTER_PARSER_H_
#define MCAST_PROC_MCFILTER_PARSER_H_

// /proc/net/mcfilter: the IPv4 source filters (IGMPv3 / SSM), one line per
// (interface, group, source):
//
//   Idx Device        MCA        SRC    INC    EXC
//     3   cap0 0xe8010101 0x0a090002      1      0
//
// INC counts the sockets that include the source (source-specific joins),
// EXC the sockets that exclude (block) it. Addresses are in network order.
// The device name is cut to 6 characters: match entries on the index.
//
// The listing is NOT complete: see membership.h for which entries the
// kernel leaves out and how to tell.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "inet/ip_address.h"

namespace mcast::proc {

struct McFilterEntry {
  int index = 0;
  std::string device;  // At most 6 characters: use index.
  inet::IpAddress group;
  inet::IpAddress source;
  int include_count = 0;
  int exclude_count = 0;

  friend bool operator==(const McFilterEntry&, const McFilterEntry&) = default;
};

// Parses the text of /proc/net/mcfilter. Errors name the line and problem.
absl::StatusOr<std::vector<McFilterEntry>> ParseMcFilter(
    absl::string_view text);

// The table both mcfilter files share, differing only in how an address is
// written: `parse_address` reads one address field, `address_form` names
// that form in errors and `columns` the header in the wrong-field-count one.
struct McFilterFormat {
  absl::string_view file;
  absl::string_view columns;
  bool (*parse_address)(absl::string_view field, inet::IpAddress* out);
  absl::string_view address_form;
};
absl::StatusOr<std::vector<McFilterEntry>> ParseMcFilterTable(
    const McFilterFormat& format, absl::string_view text);

// Reads and parses /proc/net/mcfilter of the current network namespace.
absl::StatusOr<std::vector<McFilterEntry>> ReadMcFilter();

}  // namespace mcast::proc

#endif  // MCAST_PROC_MCFILTER_PARSER_H_
