#ifndef MCAST_EXPORTER_METRICS_VIEW_H_
#define MCAST_EXPORTER_METRICS_VIEW_H_

// Everything /metrics shows, copied out of the running probes at scrape
// time. The event loop fills it under a short lock; the metric families
// are then built from the copy without holding anything.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/mesh_sender_names.h"
#include "inet/ip_address.h"
#include "probe/probe_sender.h"
#include "stats/receiver_stats.h"
#include "stats/sender_snapshot.h"
#include "streams/stream_snapshot.h"

namespace mcast::exporter {

// A peer of a [[mesh]] receiver: the member it receives from and the state
// of that member's flow here (mcast_mesh_peer_state).
struct MeshPeerView {
  std::string name;
  inet::IpAddress address;
  stats::FlowState state = stats::FlowState::kWaiting;
};

struct ReceiverProbeView {
  std::string name;  // The `probe` label: a mesh probe's is the mesh's.
  std::string group;
  std::string source;  // "*" for an ASM (*,G) receiver.
  std::string interface;
  stats::ReceiverSnapshot snapshot;
  bool joined = false;   // Membership seen in /proc/net/igmp (igmp6).
  int igmp_version = 0;  // In effect on the interface; 0 = unknown.
  bool ipv6 = false;     // An IPv6 group: mld_version applies, not IGMP.
  int mld_version = 0;   // In effect on the interface; 0 = unknown.
  uint64_t socket_drops = 0;
  stats::DelayStats join_latency;  // Join to first packet, every join.
  // The non-probe sources on the group (mcast_rx_stream_*).
  streams::StreamTableSnapshot streams;
  // A [[mesh]] flow: the mesh and this host's member (`mesh`,
  // `receiver_name`), its own address and its peers. Empty `mesh`: a plain
  // receiver, whose series carry no mesh labels.
  std::string mesh;
  std::string member;
  inet::IpAddress member_address;
  std::vector<MeshPeerView> peers;
  // Address -> member name of this member and its peers, shared with the
  // probe (built once per configuration, not per scrape); set on every
  // mesh view.
  std::shared_ptr<const MeshSenderNames> sender_names;
};

// The `sender_name` of a mesh receiver's per-sender series: the member
// whose address `sender` is (this host's own too), else "unknown"; one
// hash lookup.
inline std::string_view MeshSenderName(const ReceiverProbeView& r,
                                       const inet::IpAddress& sender) {
  return r.sender_names ? r.sender_names->Find(sender) : "unknown";
}

// The `decoder` label of a stream source's series: "rtp", "mpegts",
// "mpegts_rtp", "seq", "moldudp64" or "unknown" (not decided yet, or
// decode = "probe").
inline const char* StreamDecoderLabel(streams::StreamKind kind) {
  switch (kind) {
    case streams::StreamKind::kRtp:
      return "rtp";
    case streams::StreamKind::kMpegTsUdp:
      return "mpegts";
    case streams::StreamKind::kMpegTsRtp:
      return "mpegts_rtp";
    case streams::StreamKind::kSequenced:
      return "seq";
    case streams::StreamKind::kMoldUdp64:
      return "moldudp64";
    case streams::StreamKind::kUnknown:
    case streams::StreamKind::kProbe:
      break;
  }
  return "unknown";
}

// The `pid` label of a per-PID series: the PID in decimal, or "overflow"
// for the bucket of the PIDs beyond the cap.
inline std::string StreamPidLabel(uint32_t pid) {
  return pid == streams::kTsOverflowPid ? "overflow" : std::to_string(pid);
}

// Whether the kind has RTP timestamps (a jitter).
inline bool StreamKindRtp(streams::StreamKind kind) {
  return kind == streams::StreamKind::kRtp ||
         kind == streams::StreamKind::kMpegTsRtp;
}

// One interface a receiver uses, for its receivers' protocol.
struct QuerierProbeView {
  std::string interface;
  std::string protocol;      // "igmp" or "mld".
  int expected_version = 0;  // Highest configured of its receivers.
  int up = -1;               // 1 present, 0 none, -1 not known yet.
  bool seen = false;         // A querier was seen: the fields below.
  std::string address;
  int version = 0;
  double last_query_timestamp_seconds = 0;  // 0: no general query yet.
  uint64_t queries = 0;
};

// mcast_querier_info's version label: "IGMPv3", "MLDv2".
inline std::string QuerierVersionLabel(const QuerierProbeView& q) {
  return (q.protocol == "mld" ? "MLDv" : "IGMPv") + std::to_string(q.version);
}

struct SenderProbeView {
  std::string name;  // The `probe` label: a mesh sender's is the mesh's.
  std::string group;
  std::string interface;
  // A [[mesh]] sender: the mesh and this host's member (`sender_name`).
  std::string mesh;
  std::string member;
  probe::SenderCounters counters;
  double target_pps = 0;
  int ttl = 0;
  int dscp = 0;
};

// One [[mesh]] (mcast_mesh_members, mcast_mesh_self_info).
struct MeshView {
  std::string name;
  size_t members = 0;
  std::string self;
  std::string self_address;
};

struct MetricsView {
  std::vector<MeshView> meshes;
  std::vector<ReceiverProbeView> receivers;
  std::vector<SenderProbeView> senders;
  std::vector<std::pair<std::string, bool>> interfaces;  // name, up
  // Only while the raw sockets are open (CAP_NET_RAW).
  std::vector<QuerierProbeView> queriers;
  std::string version;
  bool last_reload_successful = true;
  double last_reload_success_timestamp_seconds = 0;
  bool web_config_last_reload_successful = true;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_METRICS_VIEW_H_
