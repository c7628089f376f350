#ifndef MCAST_PROBE_DATAGRAM_SINK_H_
#define MCAST_PROBE_DATAGRAM_SINK_H_

// Where a probe sender's datagrams go: a multicast socket in production, a
// recording fake in tests.

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace mcast::probe {

class DatagramSink {
 public:
  virtual ~DatagramSink() = default;
  // Sends the datagrams in order, as one batch where possible. Returns how
  // many left (a prefix). A transient failure (no buffer space, network
  // unreachable, interface down) is absl::UnavailableError.
  virtual absl::StatusOr<int> SendBatch(
      absl::Span<const absl::Span<const uint8_t>> datagrams) = 0;
};

}  // namespace mcast::probe

#endif  // MCAST_PROBE_DATAGRAM_SINK_H_
