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
// running one keeps running with its counters; any difference (even only the
// rate) restarts it, because a restarted sender is a new sender run and the
// receivers and dashboards must see it as one.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "net/ip_address.h"
#include "packet/header.h"
#include "stats/receiver_stats.h"
#include "stats/sequence_tracker.h"

namespace mcast::exporter {

// Which clock a sender stamps into packets. Only kRealtime lets receivers
// compute one-way delay, and only with synchronised clocks; kMonotonic is
// immune to clock steps and is the safe default.
enum class SenderClock { kMonotonic, kRealtime };

// "monotonic" or "realtime".
const char* SenderClockName(SenderClock clock);

struct ExporterSettings {
  // The address the metrics HTTP server binds, normalised to the form
  // prometheus-cpp's Exposer takes: "0.0.0.0:19779", "[::]:19779".
  std::string listen = "0.0.0.0:19779";
  net::IpAddress listen_address = net::IpAddress::FromV4(in_addr{});
  // 0 asks the kernel for a free port (tests read the bound port back).
  uint16_t listen_port = 19779;
  std::string metrics_path = "/metrics";  // Always starts with '/'.
  // The most the receivers' statistics may hold in the worst case (every
  // receiver flooded with forged sender ids), summed over all receivers;
  // the loader rejects configs above it. See ReceiverStats::WorstCaseBytes.
  uint64_t memory_limit_bytes = kDefaultMemoryLimitBytes;
  static constexpr uint64_t kDefaultMemoryLimitBytes =
      stats::kDefaultMemoryLimitBytes;

  friend bool operator==(const ExporterSettings&,
                         const ExporterSettings&) = default;
};

// One persistent probe sender.
struct SenderConfig {
  std::string name;
  net::IpAddress group;  // IPv4 multicast.
  uint16_t port = packet::kDefaultPort;
  // Outgoing interface name; empty lets the kernel's routes choose. For "lo"
  // the runtime must name 127.0.0.1 in IP_MULTICAST_IF (and receivers in
  // their join): lo usually has no multicast route, and only an explicit
  // address makes send and join work without one.
  std::string interface;
  net::IpAddress source;  // Local address to bind; unspecified = any.
  // IP_MULTICAST_TTL. The built-in default is 1 (as Linux and iperf): a
  // persistent probe stays on its link unless the operator says how far it
  // may travel.
  int ttl = 1;
  int dscp = 0;  // 0-63, written into the TOS byte and the probe header.
  // The rate as configured, in canonical form (util::Rate::ToString), for
  // logs and labels; packets_per_second is what the sender paces to.
  std::string rate = "25pps";
  double packets_per_second = 25;
  int size = 200;  // Datagram (UDP payload) bytes, header included.
  SenderClock clock = SenderClock::kMonotonic;
  bool loopback = true;  // IP_MULTICAST_LOOP: local receivers see packets.

  friend bool operator==(const SenderConfig&, const SenderConfig&) = default;
};

// One persistent probe receiver.
struct ReceiverConfig {
  std::string name;
  net::IpAddress group;   // IPv4 multicast.
  net::IpAddress source;  // Set: SSM (S,G) join. Unspecified: ASM (*,G).
  uint16_t port = packet::kDefaultPort;
  std::string interface;  // Empty: the kernel chooses the join interface.
  // IGMP version the join must use (1, 2 or 3). SSM needs 3: the loader
  // rejects an SSM receiver with a lower version. Forcing it through the
  // interface's force_igmp_version changes the host for every socket, and a
  // v2 querier on the link overrides it for minutes, so the runtime should
  // report the version in effect (/proc/net/igmp) rather than trust this.
  int igmp_version = 3;
  absl::Duration stall_timeout = absl::Seconds(3);
  // Reorder window of the sequence tracker: a missing packet is lost once
  // it is older than reorder_window or more than reorder_packets behind.
  absl::Duration reorder_window = absl::Seconds(3);
  int reorder_packets = 1024;  // 1-32767.
  // Sender runs tracked at once (and twice as many addresses); beyond that
  // the run with the least history is evicted (counted), so a misbehaving
  // network cannot make the exporter grow without bound. max_senders times
  // the per-run cost of reorder_packets must fit ExporterSettings'
  // memory_limit.
  int max_senders = 256;
  // A sender address without a packet for this long is forgotten: its
  // series leave /metrics, its counts stay in the receiver totals. At least
  // stall_timeout and reorder_window.
  absl::Duration sender_expiry = absl::Minutes(5);

  bool is_ssm() const { return !source.is_unspecified(); }
  stats::SequenceTracker::Options sequence_options() const;
  // Everything the statistics engine takes from this config.
  stats::ReceiverStatsOptions stats_options() const;

  friend bool operator==(const ReceiverConfig&,
                         const ReceiverConfig&) = default;
};

struct Config {
  ExporterSettings exporter;
  // In file order. Zero probes is valid: the exporter then serves only its
  // build info.
  std::vector<SenderConfig> senders;
  std::vector<ReceiverConfig> receivers;

  friend bool operator==(const Config&, const Config&) = default;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_CONFIG_H_
