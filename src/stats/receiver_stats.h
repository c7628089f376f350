#ifndef MCAST_STATS_RECEIVER_STATS_H_
#define MCAST_STATS_RECEIVER_STATS_H_

// The statistics engine of one receiver (one group/port/source filter).
//
// Packets are tracked per sender run, keyed by (source address, sender id).
// A new sender id from an address that already had one is a sender
// restart: the new run gets a fresh sequence space, and the numbers the old
// run never sent are not loss. The old run is kept for the reorder window
// so its stragglers are still classified, then folded into its address's
// totals.
//
// A packet whose number is a jump for its run (see sequence_tracker.h) may
// be forged with the real address and id: while it is held it counts only
// in bytes and the last-packet times, not in TTL, DSCP, jitter, delay or
// the last-packet flag.
//
// State is bounded: at most max_senders runs and 2 * max_senders source
// addresses are tracked. A new run beyond that evicts the run with the least
// history (fewest packets, by powers of two), the idlest among equals, so a
// flood of forged one-packet ids only ever evicts forged runs and a real
// long-lived flow survives it. An evicted run's address keeps its series
// (its counters only grow: when the sender comes back its new run adds to
// them). An address with no live run is forgotten wholesale, its counters
// folded into the receiver totals, only to make room for a new address
// (least history first) or after sender_expiry without a packet: its series
// then disappear at once, which Prometheus reads like a process restart,
// instead of going down while present. Steady-state packets allocate
// nothing.
//
// Memory: WorstCaseBytes() is the heap a receiver can reach, max_senders *
// RunBytes() + 2 * max_senders * SourceBytes(); RunBytes() is dominated by
// SequenceTracker::HeapBytes() (see there). The exporter rejects configs
// whose sum over receivers exceeds its memory_limit.
//
// Not thread-safe: one thread feeds packets and ticks; others read copies
// made by Snapshot().

#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "inet/ip_address.h"
#include "packet/header.h"
#include "stats/jitter_estimator.h"
#include "stats/sender_snapshot.h"
#include "stats/sequence_tracker.h"
#include "stats/stall_detector.h"

namespace mcast::stats {

// The memory the statistics of all receivers of one process may reach in
// the worst case unless configured otherwise (the exporter's memory_limit;
// mcast-receive always uses it). About 160 receivers at the defaults.
inline constexpr uint64_t kDefaultMemoryLimitBytes = uint64_t{1} << 30;

struct ReceiverStatsOptions {
  int64_t stall_timeout_ns = 3'000'000'000;
  SequenceTracker::Options sequence;
  size_t max_senders = 256;
  size_t gap_log_capacity = 32;
  // An address without a packet for this long is forgotten (its series go,
  // its counts stay in the totals). 0: never (the CLI, whose run is short).
  int64_t sender_expiry_ns = 0;
  // true: Tick returns at once while nothing can be due yet (no stall
  // timeout, reorder age, old run's retirement or sender expiry reached),
  // with the same results as walking every run each time. false: every
  // Tick walks every run (the reference the tests hold the skipping to).
  bool tick_only_when_due = true;
};

// One valid probe packet as the socket layer delivers it.
struct ReceivedPacket {
  inet::IpAddress source;
  packet::Header header;
  uint32_t size = 0;    // UDP payload bytes.
  int ttl = -1;         // From IP_RECVTTL; -1 when the kernel gave none.
  int tos = -1;         // From IP_RECVTOS; -1 when the kernel gave none.
  int64_t mono_ns = 0;  // Arrival, CLOCK_MONOTONIC: windows and stalls.
  int64_t real_ns = 0;  // Arrival, CLOCK_REALTIME: jitter and delay.
};

struct ReceiverSnapshot {
  FlowState state = FlowState::kWaiting;
  uint64_t stalls = 0;
  double stalled_seconds = 0;
  std::vector<GapEvent> gaps;  // Oldest first.
  uint64_t foreign = 0;
  uint64_t evicted_runs = 0;     // Runs evicted to make room.
  uint64_t evicted_senders = 0;  // Addresses forgotten to make room.
  uint64_t expired_senders = 0;  // Addresses forgotten after sender_expiry.
  int64_t last_packet_real_ns = 0;
  std::vector<SenderSnapshot> senders;  // Sorted by source address text.

  // Over every sender, including evicted and expired ones.
  SequenceCounters totals;
  uint64_t total_bytes = 0;
  uint64_t total_restarts = 0;
  uint64_t total_dscp_remarked = 0;
};

class ReceiverStats {
 public:
  explicit ReceiverStats(const ReceiverStatsOptions& options);

  void OnPacket(const ReceivedPacket& packet);
  // A datagram on the group that is not a valid probe packet.
  void OnForeign() { ++foreign_; }
  // Stall detection, reorder-window expiry and retirement of old runs.
  // Call it periodically (e.g. every 100 ms), also without traffic; a call
  // before anything is due returns at once.
  void Tick(int64_t mono_ns);
  // End of a measurement: every pending number becomes lost.
  void Finish();

  ReceiverSnapshot Snapshot(int64_t now_mono_ns) const;
  FlowState state() const { return stall_.state(); }
  size_t tracked_runs() const { return runs_.size(); }
  size_t tracked_senders() const { return sources_.size(); }

  // Heap bytes of one tracked run, of one tracked address, and the most a
  // receiver with these options can hold (hash table slack included).
  static size_t RunBytes(const SequenceTracker::Options& sequence);
  static size_t SourceBytes();
  static size_t WorstCaseBytes(const ReceiverStatsOptions& options);

 private:
  struct Source;
  struct Run {
    Run(const SequenceTracker::Options& o, Source* s, uint32_t i)
        : tracker(o), source(s), id(i) {}
    SequenceTracker tracker;
    JitterEstimator jitter;
    Source* source;
    uint32_t id;
    int64_t last_seen_mono_ns = 0;
    bool finished = false;
  };
  struct Source {
    inet::IpAddress address;
    uint32_t current_id = 0;
    size_t live_runs = 0;
    SequenceCounters retired;  // Runs that are gone.
    SenderSnapshot view;       // Everything but the sequence counters.
  };
  struct RunKey {
    inet::IpAddress source;
    uint32_t id;
    friend bool operator==(const RunKey&, const RunKey&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const RunKey& k) {
      return H::combine(std::move(h), k.source, k.id);
    }
  };

  Run* FindOrCreateRun(const ReceivedPacket& packet);
  void EvictRun();
  void EvictSource();
  void RetireRun(Run* run);
  // Drops an address with no live run, keeping its counts in the totals.
  void ForgetSource(Source* source);
  // Returns the earliest time a remaining address expires (INT64_MAX:
  // none, or no expiry).
  int64_t ExpireSources(int64_t mono_ns);
  size_t max_sources() const { return 2 * options_.max_senders; }

  ReceiverStatsOptions options_;
  StallDetector stall_;
  absl::flat_hash_map<RunKey, std::unique_ptr<Run>> runs_;
  absl::node_hash_map<inet::IpAddress, Source> sources_;
  Run* last_run_ = nullptr;  // Most packets come from the previous sender.
  // The shortest of the intervals after which a packet's state can make a
  // Tick do something (stall timeout, reorder age, sender expiry); 0: Tick
  // always walks everything.
  int64_t min_due_interval_ns_ = 0;
  // No Tick before this can change anything: the earliest deadline of the
  // state the last full Tick left, brought forward by each packet since
  // (its time + min_due_interval_ns_) and to the past by a restart (the
  // run it makes old retires after its own last packet).
  int64_t tick_due_ns_ = std::numeric_limits<int64_t>::min();
  uint64_t foreign_ = 0;
  uint64_t evicted_runs_ = 0;
  uint64_t evicted_sources_ = 0;
  uint64_t expired_sources_ = 0;
  // Sources forgotten (evicted or expired): their counters stay in totals.
  SequenceCounters evicted_sequence_;
  uint64_t evicted_bytes_ = 0;
  uint64_t evicted_restarts_ = 0;
  uint64_t evicted_remarked_ = 0;
};

}  // namespace mcast::stats

#endif  // MCAST_STATS_RECEIVER_STATS_H_
