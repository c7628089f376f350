#ifndef MCAST_PROBE_RECEIVER_SPEC_H_
#define MCAST_PROBE_RECEIVER_SPEC_H_

// What a probe receiver is, whoever asked for it: mcast-receive's flags and
// the exporter's [[receiver]] tables both end as a ReceiverSpec, validated by
// the same rules (probe/spec_check.h) and run by the same session.

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "inet/ip_address.h"
#include "packet/header.h"
#include "stats/receiver_stats.h"
#include "stats/sequence_tracker.h"
#include "streams/decode_spec.h"
#include "streams/stream_table.h"

namespace mcast::probe {

struct ReceiverSpec {
  inet::IpAddress group;   // Multicast, outside the link-local control block.
  inet::IpAddress source;  // Set: SSM (S,G) join. Unspecified: ASM (*,G).
  uint16_t port = packet::kDefaultPort;
  std::string interface;  // Empty: the routing table's choice for `group`.
  // IGMP version the join must use (1, 2 or 3); SSM needs 3. Forcing it
  // through the interface's force_igmp_version changes the host for every
  // socket, and a v2 querier on the link overrides it for minutes, so the
  // session reports the version in effect (/proc/net/igmp), not this.
  int igmp_version = 3;
  // The same for an IPv6 group: the MLD version (1 or 2) forced through
  // force_mld_version; SSM needs 2. igmp_version is for IPv4 groups only,
  // mld_version for IPv6 ones.
  int mld_version = 2;
  absl::Duration stall_timeout = absl::Seconds(3);
  // Reorder window of the sequence tracker: a missing packet is lost once
  // it is older than reorder_window or more than reorder_packets behind.
  absl::Duration reorder_window = absl::Seconds(3);
  int reorder_packets = 1024;
  // Sender runs tracked at once (and twice as many addresses); beyond that
  // the run with the least history is evicted (counted), so a misbehaving
  // network cannot make a receiver grow without bound.
  int max_senders = 256;
  // A sender address without a packet for this long is forgotten (its
  // counts stay in the receiver totals). Zero: never, for runs that end.
  absl::Duration sender_expiry = absl::ZeroDuration();
  // How the datagrams that are not probe packets are read
  // (streams/decode_spec.h); default auto.
  streams::DecodeSpec decode;
  // How long to receive; 0 = until stopped.
  double duration_seconds = 0;

  bool is_ssm() const { return !source.is_unspecified(); }
  stats::SequenceTracker::Options sequence_options() const;
  // Everything the statistics engine takes from this spec.
  stats::ReceiverStatsOptions stats_options() const;
  // Everything the stream table (the non-probe sources) takes from it.
  streams::StreamTableOptions stream_options() const;

  friend bool operator==(const ReceiverSpec&, const ReceiverSpec&) = default;
};

}  // namespace mcast::probe

#endif  // MCAST_PROBE_RECEIVER_SPEC_H_
