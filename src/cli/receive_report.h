#ifndef MCAST_CLI_RECEIVE_REPORT_H_
#define MCAST_CLI_RECEIVE_REPORT_H_

// What mcast-receive shows: the live dashboard text and the JSON summary.
// Both are pure functions of a statistics snapshot, so they are tested
// without sockets. The JSON keys are a documented, stable schema.

#include <cstdint>
#include <optional>
#include <string>

#include "nlohmann/json.hpp"
#include "stats/receiver_stats.h"

namespace mcast::cli {

struct ReceiveContext {
  std::string group;
  std::optional<std::string> source;  // SSM source, if any.
  uint16_t port = 0;
  std::string interface;
  int igmp_version = 3;    // In effect (read back from /proc/net/igmp).
  int igmp_requested = 3;  // What the user asked for.
  // An IPv6 group: the MLD fields below apply, the IGMP ones do not.
  bool ipv6 = false;
  // In effect, read back from the kernel (proc/mld_version_read_back.h);
  // 0 = not known (yet).
  int mld_version = 0;
  int mld_requested = 2;
  double stall_timeout_seconds = 3;
  double elapsed_seconds = 0;
  uint64_t socket_drops = 0;  // SO_RXQ_OVFL: dropped by this host.
};

nlohmann::ordered_json ReceiveJson(const ReceiveContext& ctx,
                                   const stats::ReceiverSnapshot& snap,
                                   int64_t now_mono_ns);

// Packet and bit rate between two snapshots, per sender address.
struct RateSample {
  double pps = 0;
  double bps = 0;
};

// `previous` may be null (no rate shown yet).
std::string RenderReceiveDashboard(const ReceiveContext& ctx,
                                   const stats::ReceiverSnapshot& snap,
                                   const stats::ReceiverSnapshot* previous,
                                   double seconds_since_previous,
                                   int64_t now_mono_ns);

// "recv 96, sender set 100 - 4 hops away"
std::string DescribeTtl(const stats::SenderSnapshot& s);
// "BE, sender set EF - REMARKED" / "EF (as sent)"
std::string DescribeDscp(const stats::SenderSnapshot& s);

}  // namespace mcast::cli

#endif  // MCAST_CLI_RECEIVE_REPORT_H_
