#ifndef MCAST_CLI_STATUS_COMMAND_H_
#define MCAST_CLI_STATUS_COMMAND_H_

// mcast-status: which multicast groups each interface has joined, with the
// interface's state, addresses, the IGMP and MLD versions in effect and the
// forced ones, and each group's users and source filter (IPv4 and IPv6). Reads
// netlink and /proc, so it needs no privilege.
//
// The work is split so tests can feed captured data: Gather reads the
// system, Render{Table,Json} only format, RunStatus ties them to a command
// line and maps failures to sysexits codes.

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "net/querier_table.h"
#include "netif/interface.h"
#include "nlohmann/json.hpp"
#include "proc/membership.h"
#include "proc/mld_report_counters.h"

namespace mcast::cli {

struct StatusOptions {
  bool all = false;  // Include the kernel's own groups (224.0.0.1...).
  bool json = false;
  std::string interface;  // Empty: every interface.
  // --querier-wait: listen this long for IGMP/MLD queries before printing
  // (0: the querier is not watched, its keys are null).
  double querier_wait_seconds = 0;
};

// What --querier-wait saw on one interface.
struct QuerierStatus {
  // Empty when listening worked (for that family).
  std::string igmp_error, mld_error;
  net::QuerierView igmp, mld;
};

struct InterfaceStatus {
  netif::Interface link;
  // IGMP version in effect (Querier column); 0 without IPv4 multicast state.
  int igmp_version = 0;
  int force_igmp_version = 0;  // 0: not forced.
  // MLD version in effect (proc/mld_version_read_back.h: the forced value,
  // else the only kind of report the interface has sent); 0 unknown.
  int mld_version = 0;
  int force_mld_version = 0;  // 0: not forced.
  // The interface's MLD reports sent; none without IPv6 on it.
  std::optional<proc::MldReportCounters> mld_reports;
  std::vector<proc::GroupMembership> groups;
  std::optional<QuerierStatus> querier;  // Only with --querier-wait.
};

// One interface's MLD knobs as read: force_mld_version and the report
// counters of /proc/net/dev_snmp6/<name>.
struct MldState {
  std::string name;
  int forced = 0;
  proc::MldReportCounters reports;
};

// Joins the interface list with the memberships and forced versions (by
// index; `forced` maps interface name to force_igmp_version, `mld` gives
// the MLD state of the interfaces with IPv6), keeps the interface asked for
// and drops the kernel's own groups unless `all`.
std::vector<InterfaceStatus> BuildStatus(
    const std::vector<netif::Interface>& interfaces,
    const std::vector<proc::InterfaceMemberships>& memberships,
    const std::vector<std::pair<std::string, int>>& forced,
    const StatusOptions& options, const std::vector<MldState>& mld = {});

// Listens for `wait_seconds` on raw IGMP and ICMPv6 sockets and fills in
// each interface's querier (needs CAP_NET_RAW; without it the errors say
// so). Returns the first socket error, for one warning line.
absl::Status WatchQueriers(double wait_seconds,
                           std::vector<InterfaceStatus>& status);

// Reads the live system (netlink, /proc/net/{igmp,mcfilter,igmp6,mcfilter6},
// each interface's force_igmp_version, force_mld_version and
// /proc/net/dev_snmp6 counters). NotFound when /proc/net/igmp is missing
// (no IPv4 multicast support).
absl::StatusOr<std::vector<InterfaceStatus>> GatherStatus(
    const StatusOptions& options);

nlohmann::ordered_json RenderJson(const std::vector<InterfaceStatus>& status);
std::string RenderTable(const std::vector<InterfaceStatus>& status,
                        const StatusOptions& options);

// The whole command; returns the process exit code (sysexits: 0 ok, 64 bad
// usage or unknown interface, 69 multicast state unavailable, 71 other OS
// errors). Errors are one line on `err`, "mcast-status: ...".
int RunStatus(int argc, const char* const* argv, std::ostream& out,
              std::ostream& err);

}  // namespace mcast::cli

#endif  // MCAST_CLI_STATUS_COMMAND_H_
