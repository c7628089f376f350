#ifndef MCAST_EXPORTER_FD_BUDGET_H_
#define MCAST_EXPORTER_FD_BUDGET_H_

// How many file descriptors mcast-exporter needs for a config, at most, so
// that a config that cannot fit the open-file limit is refused when it is
// loaded (start, --check-config, SIGHUP) instead of failing half started
// with "Too many open files". The one place that knows the formula: a
// change in how probes use descriptors changes only the constants below.
//
// Per probe (measured: /proc/PID/fd of a running exporter):
//   sender    0  senders, IPv4 and IPv6, share the send scheduler's
//                sockets (fixed, below) and its one timer in the event
//                loop's deadline queue: a sender is a route and buffers, no
//                descriptor
//   receiver  1  its UDP socket (the IGMP version sysctl is opened, written
//                and closed; the exporter's receivers share one registry)
// Fixed, whatever the probes:
//   3    stdin, stdout, stderr
//   4    the event loop: epoll, its wakeup eventfd, the signalfd and the
//        timerfd of every timer (the send scheduler's and the loop's own:
//        receiver ticks, 100 ms, and maintenance, 1 s)
//   6    the shared send sockets, one per class: IPv4 with multicast loop
//        on/off x TTL 0 or not, IPv6 with loop on/off
//        (probe/send_scheduler.h), opened on first use
//   3    the link watcher: libnl's cache manager (event and sync sockets)
//        and the watcher's own sync socket
//   1    the HTTP listening socket ([exporter] listen is one address);
//        each further --web.listen-address adds one (not in Fixed(): the
//        budget's listen_addresses, ListenSocketsFor)
//   321  HTTP connections at worst: one per civetweb worker (kHttpWorkers,
//        256), the accepted ones queued for a worker (kHttpConnectionQueue,
//        64) and the one the accept thread holds while the queue is full
//   4    short-lived, one at a time on the loop thread and never more than
//        four together: the config file and the pipe to the parse child on
//        SIGHUP, /proc/net/igmp, a netlink route query, the IGMP state
//        directory and its record file
// Descriptors inherited beyond stdio are not counted: systemd passes none.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "exporter/config.h"

namespace mcast::exporter {

inline constexpr uint64_t kFdsPerSender = 0;
inline constexpr uint64_t kFdsPerReceiver = 1;

struct FdBudget {
  size_t senders = 0;
  size_t receivers = 0;
  // HTTP listening sockets; the first is in Fixed().
  size_t listen_addresses = 1;

  // The fixed part above.
  static uint64_t Fixed();
  uint64_t Total() const;
  // Listening sockets beyond the one in Fixed().
  uint64_t ExtraListeners() const;
  // "1000 senders x 0 + 40 receivers x 1 + 342 fixed", with
  // " + 2 more listen addresses x 1" before "fixed" when there are 3.
  std::string Breakdown() const;
};

FdBudget FdBudgetFor(const Config& config, size_t listen_addresses = 1);

// The HTTP listening sockets the exporter opens for the --web.listen-address
// (and --listen) overrides: one per address, and civetweb opens one per
// comma-separated part of each; none given = the config's one address.
size_t ListenSocketsFor(const std::vector<std::string>& listen_override);

// OK when `config` fits in `open_file_limit` descriptors; otherwise
// ResourceExhausted, one line: "config needs 1382 file descriptors (1000
// senders x 0 + 1040 receivers x 1 + 342 fixed), the open-file limit is 1024
// (raise LimitNOFILE or ulimit -n)".
absl::Status CheckFdBudget(const Config& config, uint64_t open_file_limit,
                           size_t listen_addresses = 1);

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_FD_BUDGET_H_
