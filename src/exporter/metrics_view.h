#ifndef MCAST_EXPORTER_METRICS_VIEW_H_
#define MCAST_EXPORTER_METRICS_VIEW_H_

// Everything /metrics shows, copied out of the running probes at scrape
// time. The event loop fills it under a short lock; the metric families
// are then built from the copy without holding anything.

#include <string>
#include <utility>
#include <vector>

#include "probe/probe_sender.h"
#include "stats/receiver_stats.h"

namespace mcast::exporter {

struct ReceiverProbeView {
  std::string name;
  std::string group;
  std::string source;  // "*" for an ASM (*,G) receiver.
  std::string interface;
  stats::ReceiverSnapshot snapshot;
  bool joined = false;   // Membership seen in /proc/net/igmp (igmp6).
  int igmp_version = 0;  // In effect on the interface; 0 = unknown.
  bool ipv6 = false;     // An IPv6 group: mld_version applies, not IGMP.
  int mld_version = 0;   // In effect on the interface; 0 = unknown.
  uint64_t socket_drops = 0;
};

struct SenderProbeView {
  std::string name;
  std::string group;
  std::string interface;
  probe::SenderCounters counters;
  double target_pps = 0;
  int ttl = 0;
  int dscp = 0;
};

struct MetricsView {
  std::vector<ReceiverProbeView> receivers;
  std::vector<SenderProbeView> senders;
  std::vector<std::pair<std::string, bool>> interfaces;  // name, up
  std::string version;
  bool last_reload_successful = true;
  double last_reload_success_timestamp_seconds = 0;
  bool web_config_last_reload_successful = true;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_METRICS_VIEW_H_
