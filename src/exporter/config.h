#ifndef MCAST_EXPORTER_CONFIG_H_
#define MCAST_EXPORTER_CONFIG_H_

// The resolved mcast-exporter configuration: what the runtime runs.
//
// The TOML file (see config/mcast-exporter.toml and config_loader.h) has an
// [exporter] table, a [defaults] table and any number of [[sender]] and
// [[receiver]] probes. The loader applies [defaults] and the built-in
// defaults below to every probe and parses every string, so these structs
// hold only final, validated values: the runtime never looks at TOML and
// never re-validates.
//
// Reload (SIGHUP): probes are matched by name, which is unique across all
// senders and receivers. A probe whose resolved config compares equal to the
// running one (a mesh receiver: SameFlowButMeshPeers) keeps running with its
// counters; any difference (even only the
// rate) restarts it, because a restarted sender is a new sender run and the
// receivers and dashboards must see it as one.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "inet/ip_address.h"
#include "packet/header.h"
#include "probe/receiver_spec.h"
#include "probe/sender_spec.h"
#include "stats/receiver_stats.h"
#include "stats/sequence_tracker.h"

namespace mcast::exporter {

using probe::SenderClock;
using probe::SenderClockName;

struct ExporterSettings {
  // The address the metrics HTTP server binds, normalised to the form
  // prometheus-cpp's Exposer takes: "0.0.0.0:19779", "[::]:19779".
  std::string listen = "0.0.0.0:19779";
  inet::IpAddress listen_address = inet::IpAddress::FromV4(in_addr{});
  // 0 asks the kernel for a free port (tests read the bound port back).
  uint16_t listen_port = 19779;
  std::string metrics_path = "/metrics";  // Always starts with '/'.
  // listen_addresses (the exporter family's spelling, next to listen): every
  // address to serve on, normalised as `listen` (which holds the first);
  // empty when only `listen` was written. --web.listen-address wins.
  std::vector<std::string> listen_addresses;
  // web_config_file: the --web.config.file when that flag is not given, as
  // written (a relative path is from the config file's folder: the caller
  // resolves it: cli/exporter_command.cc). Empty: none. Start only.
  std::string web_config_file;
  // The most the receivers' statistics may hold in the worst case (every
  // receiver flooded with forged sender ids), summed over all receivers;
  // the loader rejects configs above it. See ReceiverStats::WorstCaseBytes.
  uint64_t memory_limit_bytes = kDefaultMemoryLimitBytes;
  static constexpr uint64_t kDefaultMemoryLimitBytes =
      stats::kDefaultMemoryLimitBytes;

  friend bool operator==(const ExporterSettings&,
                         const ExporterSettings&) = default;
};

// A probe that is one flow of a [[mesh]] (mesh_table_parser.h): the mesh's
// name (the `mesh` and `probe` labels), this host's member (receiver_name
// of its receivers, sender_name of its sender) and, for a receiver, the
// members it receives from, whose names become sender_name. Empty `mesh`:
// not a mesh probe, whose series carry no mesh labels.
struct MeshPeer {
  std::string name;
  inet::IpAddress address;

  friend bool operator==(const MeshPeer&, const MeshPeer&) = default;
};

struct MeshRole {
  std::string mesh;
  std::string member;
  inet::IpAddress address;  // The member's, this host's sending source.
  // A receiver's peers, in file order: every member but this host's for
  // an ASM receiver, the one whose (S,G) it joins for an SSM one.
  std::vector<MeshPeer> peers;

  bool active() const { return !mesh.empty(); }
  friend bool operator==(const MeshRole&, const MeshRole&) = default;
};

// One persistent probe sender: a name (unique across senders and
// receivers, the `probe` label) and what it sends. The spec's defaults are
// the exporter's; only the name is the exporter's own.
struct SenderConfig : probe::SenderSpec {
  std::string name;
  MeshRole mesh;

  friend bool operator==(const SenderConfig&, const SenderConfig&) = default;
};

// One persistent probe receiver. Unlike a CLI run the exporter runs for
// months, so senders it has not heard from for sender_expiry are forgotten.
struct ReceiverConfig : probe::ReceiverSpec {
  ReceiverConfig() { sender_expiry = absl::Minutes(5); }

  std::string name;
  MeshRole mesh;
  // Leave and re-join this often, to sample the join time
  // (mcast_rx_join_latency_seconds) continuously; zero: never.
  absl::Duration rejoin_interval = absl::ZeroDuration();

  friend bool operator==(const ReceiverConfig&,
                         const ReceiverConfig&) = default;
};

// Reload: equal but perhaps for the mesh peers (the members an ASM mesh
// receiver names), which a SIGHUP changes without restarting the flow, so
// adding a member keeps the receiver's counters.
inline bool SameFlowButMeshPeers(const ReceiverConfig& a,
                                 const ReceiverConfig& b) {
  ReceiverConfig c = a;
  c.mesh.peers = b.mesh.peers;
  return c == b;
}

// A [[mesh]] as configured, with the member this host is (`self`).
struct MeshMemberConfig {
  std::string name;
  inet::IpAddress address;
  std::string interface;  // Empty: the mesh's, then [defaults].

  friend bool operator==(const MeshMemberConfig&,
                         const MeshMemberConfig&) = default;
};

struct MeshConfig {
  std::string name;
  inet::IpAddress group;
  uint16_t port = 0;
  bool ssm = false;
  std::vector<MeshMemberConfig> members;  // File order.
  size_t self = 0;                        // Index into members.
  bool self_by_flag = false;              // --mesh-member picked it.

  friend bool operator==(const MeshConfig&, const MeshConfig&) = default;
};

struct Config {
  ExporterSettings exporter;
  // Every [[mesh]], in file order; their flows are expanded into senders
  // and receivers below (one sender each, then its receivers).
  std::vector<MeshConfig> meshes;
  // In file order. Zero probes is valid: the exporter then serves only its
  // build info.
  std::vector<SenderConfig> senders;
  std::vector<ReceiverConfig> receivers;

  friend bool operator==(const Config&, const Config&) = default;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_CONFIG_H_
