#ifndef MCAST_STREAMS_STREAM_TABLE_H_
#define MCAST_STREAMS_STREAM_TABLE_H_

// Every non-probe source (address, port) on one receiver's group, each a
// StreamFlow (stream_flow.h). Bounded like the probe sender table: at most
// max_streams sources; a new one beyond that evicts the source with the
// least history (fewest datagrams, by powers of two), the idlest among
// equals, so a flood of forged sources evicts forged sources and a real
// long-lived stream survives. Evictions are counted and an evicted
// source's counts stay in the totals.
//
// Allocates when a source is first seen (its flow), never for a datagram of
// a known source. Not thread-safe: Snapshot() copies for other threads.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "inet/ip_address.h"
#include "streams/stream_flow.h"
#include "streams/stream_snapshot.h"

namespace mcast::streams {

// The default and largest number of sources one receiver tracks.
inline constexpr size_t kDefaultMaxStreams = 64;

struct StreamTableOptions {
  StreamOptions flow;
  size_t max_streams = kDefaultMaxStreams;
};

class StreamTable {
 public:
  explicit StreamTable(const StreamTableOptions& options);

  void OnDatagram(const inet::IpAddress& source, uint16_t port,
                  absl::Span<const uint8_t> payload, int64_t mono_ns,
                  int64_t real_ns);
  void Tick(int64_t mono_ns);
  void Finish();

  StreamTableSnapshot Snapshot(int64_t now_mono_ns) const;
  size_t size() const { return flows_.size(); }
  const StreamTableOptions& options() const { return options_; }

  // The most heap one table with these options can hold.
  static size_t WorstCaseBytes(const StreamTableOptions& options);

 private:
  struct Key {
    inet::IpAddress source;
    uint16_t port;
    friend bool operator==(const Key&, const Key&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const Key& k) {
      return H::combine(std::move(h), k.source, k.port);
    }
  };
  StreamFlow* FindOrCreate(const inet::IpAddress& source, uint16_t port);
  void Evict();

  StreamTableOptions options_;
  absl::flat_hash_map<Key, std::unique_ptr<StreamFlow>> flows_;
  Key last_key_{};
  StreamFlow* last_flow_ = nullptr;
  uint64_t evicted_ = 0;
  uint64_t evicted_packets_ = 0;
  uint64_t evicted_bytes_ = 0;
  stats::SequenceCounters evicted_sequence_;
};

}  // namespace mcast::streams

#endif  // MCAST_STREAMS_STREAM_TABLE_H_
