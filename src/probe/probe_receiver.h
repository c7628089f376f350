#ifndef MCAST_PROBE_PROBE_RECEIVER_H_
#define MCAST_PROBE_PROBE_RECEIVER_H_

// The receiving half of mcast-receive and of every exporter receiver probe:
// a joined multicast socket feeding a statistics engine. Datagrams are read
// in batches (recvmmsg) and classified without allocation; anything that is
// not a valid probe header is counted as foreign, as before, and accounted
// per (source address, source port) in a StreamTable (streams/stream_table.h).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "net/receiver_socket.h"
#include "probe/join_latency.h"
#include "stats/receiver_stats.h"
#include "streams/stream_table.h"

namespace mcast::probe {

// Feeds one received datagram to the engine: a valid probe packet to
// `stats`; anything else counts as foreign in `stats` and, when `streams` is
// not null, goes to the stream table under its source address and port.
// Exposed for tests.
void FeedDatagram(const net::ReceivedDatagram& d, int64_t mono_ns,
                  int64_t fallback_real_ns, stats::ReceiverStats& stats,
                  streams::StreamTable* streams = nullptr);

class ProbeReceiver {
 public:
  // Reads at most this many batches per OnReadable call, so one busy
  // group cannot starve the other probes of an event loop. A call also ends
  // at the first batch shorter than the socket's batch size: the queue ran
  // dry, and the level-triggered loop calls again when more arrives.
  static constexpr int kMaxBatchesPerCall = 16;

  // Statistics only; no socket until OpenSocket().
  ProbeReceiver(const net::ReceiverSocketOptions& socket_options,
                const stats::ReceiverStatsOptions& stats_options,
                const streams::StreamTableOptions& stream_options = {});

  // Statistics and a joined socket, or the error that prevented the join.
  static absl::StatusOr<std::unique_ptr<ProbeReceiver>> Open(
      const net::ReceiverSocketOptions& socket_options,
      const stats::ReceiverStatsOptions& stats_options,
      const streams::StreamTableOptions& stream_options = {});

  // (Re)opens and joins, e.g. when the interface (re)appears. The
  // statistics carry on: a socket is replaceable, the measurement is not.
  absl::Status OpenSocket();
  void CloseSocket();
  bool has_socket() const { return socket_.has_value(); }

  // Call when the socket is readable: one recvmmsg when fewer than a batch
  // is queued. Returns a receive error other than
  // "nothing waiting", which the caller reports; the socket stays usable.
  absl::Status OnReadable();
  void Tick(int64_t mono_ns) {
    stats_.Tick(mono_ns);
    streams_.Tick(mono_ns);
  }

  stats::ReceiverStats& stats() { return stats_; }
  const stats::ReceiverStats& stats() const { return stats_; }
  // The non-probe sources on the group.
  streams::StreamTable& streams() { return streams_; }
  const streams::StreamTable& streams() const { return streams_; }
  // Only while has_socket().
  net::ReceiverSocket& socket() { return *socket_; }
  const net::ReceiverSocket& socket() const { return *socket_; }
  const net::ReceiverSocketOptions& socket_options() const {
    return socket_options_;
  }
  // The interface of the next OpenSocket(); empty: the routing table's.
  void set_interface(const std::string& name) {
    socket_options_.interface = name;
  }
  // Datagrams this host dropped (SO_RXQ_OVFL), widened past 32-bit wrap
  // and kept across socket re-opens.
  uint64_t socket_drops() const { return socket_drops_; }
  // Join to first packet, measured again at every OpenSocket().
  const JoinLatency& join_latency() const { return join_; }

 private:
  // While a join waits for its first packet: the first valid probe packet
  // of the batch ends the measurement (probe/join_latency.h).
  void NoteFirstPacket(absl::Span<const net::ReceivedDatagram> batch,
                       int64_t fallback_real_ns);

  net::ReceiverSocketOptions socket_options_;
  std::optional<net::ReceiverSocket> socket_;
  stats::ReceiverStats stats_;
  streams::StreamTable streams_;
  uint32_t last_kernel_drops_ = 0;
  uint64_t socket_drops_ = 0;
  JoinLatency join_;
};

}  // namespace mcast::probe

#endif  // MCAST_PROBE_PROBE_RECEIVER_H_
