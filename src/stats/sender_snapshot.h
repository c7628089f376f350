#ifndef MCAST_STATS_SENDER_SNAPSHOT_H_
#define MCAST_STATS_SENDER_SNAPSHOT_H_

// What a receiver knows about one sender address at one moment: counters
// over every run (sender id) it has seen from that address, and the current
// run's identity and path properties. Plain values, safe to copy to another
// thread (the exporter's scrape, the CLI's dashboard).

#include <array>
#include <cstdint>

#include "inet/ip_address.h"
#include "stats/sequence_tracker.h"

namespace mcast::stats {

// One-way delay histogram bucket upper bounds, in seconds (plus +Inf).
inline constexpr std::array<double, 14> kDelayBucketsSeconds = {
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
    0.01,    0.025,  0.05,    0.1,    0.25,  0.5,    1.0};

struct DelayStats {
  uint64_t count = 0;
  double sum_seconds = 0;
  double min_seconds = 0;
  double max_seconds = 0;
  // Non-cumulative counts per bucket; the last one is +Inf.
  std::array<uint64_t, kDelayBucketsSeconds.size() + 1> buckets{};

  void Observe(double seconds);
};

struct SenderSnapshot {
  inet::IpAddress source;
  uint32_t sender_id = 0;  // Current run.
  uint64_t first_seq = 0;  // Current run: first and highest number seen.
  uint64_t last_seq = 0;
  bool finished = false;  // Current run sent its last-packet flag.
  uint32_t interval_us = 0;

  SequenceCounters sequence;  // All runs from this address.
  uint64_t bytes = 0;
  uint64_t restarts = 0;

  int ttl = -1;  // -1: not known (no IP_RECVTTL data yet).
  int sender_ttl = -1;
  int hops = 0;  // sender_ttl - ttl, valid when ttl >= 0.
  uint64_t hop_changes = 0;

  int dscp = -1;  // -1: not known.
  int sender_dscp = -1;
  uint64_t dscp_remarked = 0;
  bool last_remarked = false;

  double jitter_seconds = 0;  // Current run.
  bool realtime_clock = false;
  DelayStats delay;  // Only packets stamped with CLOCK_REALTIME.

  int64_t last_packet_mono_ns = 0;
  int64_t last_packet_real_ns = 0;
};

}  // namespace mcast::stats

#endif  // MCAST_STATS_SENDER_SNAPSHOT_H_
