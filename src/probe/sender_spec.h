#ifndef MCAST_PROBE_SENDER_SPEC_H_
#define MCAST_PROBE_SENDER_SPEC_H_

// What a probe sender is, whoever asked for it: mcast-send's flags and the
// exporter's [[sender]] tables both end as a SenderSpec, are validated by the
// same rules (probe/spec_check.h) and run by the same session. Front ends
// keep only what is theirs: mcast-send its TTL default of 100 (the reference
// contract), its dashboard and JSON; the exporter the probe name, reloads and
// metrics.

#include <cstdint>
#include <string>

#include "inet/ip_address.h"
#include "packet/header.h"

namespace mcast::probe {

// Which clock a sender stamps into packets. Only kRealtime lets receivers
// compute one-way delay, and only with synchronised clocks; kMonotonic is
// immune to clock steps and is the safe default.
enum class SenderClock { kMonotonic, kRealtime };

// "monotonic" or "realtime".
const char* SenderClockName(SenderClock clock);

struct SenderSpec {
  inet::IpAddress group;  // Multicast, outside the link-local control block.
  uint16_t port = packet::kDefaultPort;
  // Outgoing interface name; empty lets the kernel's routes choose. For "lo"
  // the session names 127.0.0.1 in IP_MULTICAST_IF (lo usually has no
  // multicast route).
  std::string interface;
  inet::IpAddress source;  // Local address to bind; unspecified = any.
  // IP_MULTICAST_TTL. 1 (as Linux and iperf) keeps a probe on its link
  // unless the operator says how far it may travel.
  int ttl = 1;
  int dscp = 0;  // 0-63, written into the TOS byte and the probe header.
  // The rate as given, in canonical form (util::Rate::ToString), for logs
  // and labels; packets_per_second is what the sender paces to.
  std::string rate = "25pps";
  double packets_per_second = 25;
  int size = 200;  // Datagram (UDP payload) bytes, header included.
  SenderClock clock = SenderClock::kMonotonic;
  bool loopback = true;  // IP_MULTICAST_LOOP: local receivers see packets.
  // How long to send; 0 = forever (the exporter's probes always are).
  double duration_seconds = 0;

  friend bool operator==(const SenderSpec&, const SenderSpec&) = default;
};

}  // namespace mcast::probe

#endif  // MCAST_PROBE_SENDER_SPEC_H_
