#ifndef MCAST_UTIL_RATE_H_
#define MCAST_UTIL_RATE_H_

// Send rates as users write them: "25pps", "1000" (a bare number is pps),
// or a bit rate "64kbps", "1.5Mbps", "1Gbps", "800bps". A bit rate counts
// the UDP payload (the datagram size the sender is given, header included),
// so the packet rate is bits / (8 * size).

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcast::util {

struct Rate {
  enum class Unit { kPacketsPerSecond, kBitsPerSecond };
  Unit unit = Unit::kPacketsPerSecond;
  double value = 0;  // Always > 0 and finite once parsed.

  // Packets per second for datagrams of `datagram_size` bytes.
  double PacketsPerSecond(size_t datagram_size) const;
  std::string ToString() const;
};

absl::StatusOr<Rate> ParseRate(absl::string_view text);

}  // namespace mcast::util

#endif  // MCAST_UTIL_RATE_H_
