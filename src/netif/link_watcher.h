#ifndef MCAST_NETIF_LINK_WATCHER_H_
#define MCAST_NETIF_LINK_WATCHER_H_

// Follows the host's interfaces and addresses as they change, for an event
// loop: a libnl cache manager keeps the netlink link and address tables up
// to date from kernel notifications, and after each batch the watcher
// compares the new table with the previous one and reports the differences.
//
// Reporting differences (instead of forwarding each netlink message) makes
// the normal path and the recovery path the same: when a burst overflows the
// socket buffer (ENOBUFS, notifications lost) the watcher re-reads both
// tables and the same comparison reports whatever changed meanwhile.
//
// Usage (single thread: libnl objects are not thread-safe):
//
//   auto watcher = LinkWatcher::Create([&](const LinkEvent& e) { ... });
//   epoll_ctl(ep, EPOLL_CTL_ADD, (*watcher)->fd(), {EPOLLIN});
//   ... when fd() is readable: (*watcher)->ProcessEvents();
//
// The callback runs inside ProcessEvents (and Resync), never elsewhere.

#include <functional>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "netif/interface.h"
#include "netif/netlink_ptr.h"

namespace mcast::netif {

struct LinkEvent {
  enum class Kind {
    // An interface appeared. It carries its state and addresses: no up or
    // address events follow for what it already had.
    kAdded,
    // An interface disappeared (`interface` is its last known state). A
    // link deleted and re-created is kRemoved (old index) then kAdded (new
    // index); a rename is also reported as kRemoved + kAdded.
    kRemoved,
    kUp,    // Became usable(): admin up and running.
    kDown,  // Stopped being usable(): admin down or carrier lost.
    kAddressAdded,
    kAddressRemoved,
  };
  Kind kind;
  Interface interface;  // State after the change (before, for kRemoved).
  Address address;      // For the address events.
};

// "added", "removed", "up", "down", "address-added", "address-removed".
const char* LinkEventKindName(LinkEvent::Kind kind);

class LinkWatcher {
 public:
  using Callback = std::function<void(const LinkEvent&)>;

  // Subscribes to link and address notifications and reads the current
  // tables (no events are reported for what already exists: see
  // interfaces()).
  static absl::StatusOr<std::unique_ptr<LinkWatcher>> Create(Callback callback);

  LinkWatcher(const LinkWatcher&) = delete;
  LinkWatcher& operator=(const LinkWatcher&) = delete;

  // Non-blocking socket to watch for readability.
  int fd() const;

  // Reads every pending notification, then reports the differences. Call it
  // when fd() is readable (calling it otherwise is harmless). Lost
  // notifications (ENOBUFS) are recovered by a Resync, not reported as an
  // error.
  absl::Status ProcessEvents();

  // Re-reads both tables from the kernel and reports the differences.
  absl::Status Resync();

  // The current table, by increasing index.
  const std::vector<Interface>& interfaces() const { return current_; }

  // How many times notifications were lost and the tables re-read.
  int resync_count() const { return resync_count_; }

 private:
  LinkWatcher(Callback callback, NlSockPtr sync_sock, NlCacheMngrPtr mngr,
              nl_cache* links, nl_cache* addrs);

  // Compares the caches with current_, reports, and updates current_.
  void ReportChanges();

  Callback callback_;
  NlSockPtr sync_sock_;  // For re-reading the caches after ENOBUFS.
  NlCacheMngrPtr mngr_;
  nl_cache* links_;  // Owned by mngr_.
  nl_cache* addrs_;  // Owned by mngr_.
  std::vector<Interface> current_;
  int resync_count_ = 0;
};

}  // namespace mcast::netif

#endif  // MCAST_NETIF_LINK_WATCHER_H_
