#include "netif/link_watcher.h"

#include <netlink/errno.h>
#include <sys/socket.h>

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "netif/interface_table.h"
#include "netif/nl_error_status.h"

namespace mcast::netif {
namespace {

// The manager applies each notification to its cache itself; the watcher
// looks at the result once per batch, so per-object callbacks do nothing.
void IgnoreChange(nl_cache*, nl_object*, int, void*) {}

bool Contains(const std::vector<Address>& list, const Address& a) {
  return std::find(list.begin(), list.end(), a) != list.end();
}

}  // namespace

const char* LinkEventKindName(LinkEvent::Kind kind) {
  switch (kind) {
    case LinkEvent::Kind::kAdded:
      return "added";
    case LinkEvent::Kind::kRemoved:
      return "removed";
    case LinkEvent::Kind::kUp:
      return "up";
    case LinkEvent::Kind::kDown:
      return "down";
    case LinkEvent::Kind::kAddressAdded:
      return "address-added";
    case LinkEvent::Kind::kAddressRemoved:
      return "address-removed";
  }
  return "?";
}

absl::StatusOr<std::unique_ptr<LinkWatcher>> LinkWatcher::Create(
    Callback callback) {
  NlSockPtr sync_sock;
  if (absl::Status s = ConnectRouteSocket(&sync_sock); !s.ok()) return s;
  nl_cache_mngr* raw_mngr = nullptr;
  if (int err = nl_cache_mngr_alloc(nullptr, NETLINK_ROUTE, 0, &raw_mngr);
      err < 0) {
    return NlErrorToStatus(err, "cannot watch network interfaces");
  }
  NlCacheMngrPtr mngr(raw_mngr);
  nl_cache* links = nullptr;
  if (int err = nl_cache_mngr_add(mngr.get(), "route/link", &IgnoreChange,
                                  nullptr, &links);
      err < 0) {
    return NlErrorToStatus(err, "cannot watch network links");
  }
  nl_cache* addrs = nullptr;
  if (int err = nl_cache_mngr_add(mngr.get(), "route/addr", &IgnoreChange,
                                  nullptr, &addrs);
      err < 0) {
    return NlErrorToStatus(err, "cannot watch interface addresses");
  }
  std::unique_ptr<LinkWatcher> watcher(
      new LinkWatcher(std::move(callback), std::move(sync_sock),
                      std::move(mngr), links, addrs));
  watcher->current_ = InterfacesFromCaches(links, addrs);
  return watcher;
}

LinkWatcher::LinkWatcher(Callback callback, NlSockPtr sync_sock,
                         NlCacheMngrPtr mngr, nl_cache* links, nl_cache* addrs)
    : callback_(std::move(callback)),
      sync_sock_(std::move(sync_sock)),
      mngr_(std::move(mngr)),
      links_(links),
      addrs_(addrs) {}

int LinkWatcher::fd() const { return nl_cache_mngr_get_fd(mngr_.get()); }

absl::Status LinkWatcher::ProcessEvents() {
  const int err = nl_cache_mngr_data_ready(mngr_.get());
  // libnl maps ENOBUFS (the kernel dropped notifications) to NLE_NOMEM.
  if (err == -NLE_NOMEM) {
    ++resync_count_;
    return Resync();
  }
  if (err < 0)
    return NlErrorToStatus(err, "cannot read interface notifications");
  ReportChanges();
  return absl::OkStatus();
}

absl::Status LinkWatcher::Resync() {
  // Drop what is still queued: those notifications predate the dump below
  // and would otherwise roll the fresh tables back to an older state.
  char buf[8192];
  while (recv(fd(), buf, sizeof(buf), MSG_DONTWAIT) > 0) {
  }
  if (int err = nl_cache_refill(sync_sock_.get(), links_); err < 0) {
    return NlErrorToStatus(err, "cannot re-read network links");
  }
  if (int err = nl_cache_refill(sync_sock_.get(), addrs_); err < 0) {
    return NlErrorToStatus(err, "cannot re-read interface addresses");
  }
  ReportChanges();
  return absl::OkStatus();
}

void LinkWatcher::ReportChanges() {
  std::vector<Interface> next = InterfacesFromCaches(links_, addrs_);
  absl::flat_hash_map<int, const Interface*> old_by_index;
  for (const Interface& i : current_) old_by_index[i.index] = &i;
  absl::flat_hash_map<int, const Interface*> new_by_index;
  for (const Interface& i : next) new_by_index[i.index] = &i;

  std::vector<LinkEvent> events;
  auto emit = [&](LinkEvent::Kind kind, const Interface& i,
                  const Address& a = {}) {
    events.push_back(LinkEvent{kind, i, a});
  };
  for (const Interface& old : current_) {
    const auto it = new_by_index.find(old.index);
    if (it == new_by_index.end() || it->second->name != old.name) {
      emit(LinkEvent::Kind::kRemoved, old);
    }
  }
  for (const Interface& now : next) {
    const auto it = old_by_index.find(now.index);
    if (it == old_by_index.end() || it->second->name != now.name) {
      emit(LinkEvent::Kind::kAdded, now);
      continue;
    }
    const Interface& old = *it->second;
    if (!old.usable() && now.usable()) emit(LinkEvent::Kind::kUp, now);
    if (old.usable() && !now.usable()) emit(LinkEvent::Kind::kDown, now);
    for (const Address& a : old.addresses) {
      if (!Contains(now.addresses, a)) {
        emit(LinkEvent::Kind::kAddressRemoved, now, a);
      }
    }
    for (const Address& a : now.addresses) {
      if (!Contains(old.addresses, a)) {
        emit(LinkEvent::Kind::kAddressAdded, now, a);
      }
    }
  }
  current_ = std::move(next);
  // Report after the update so a callback that reads interfaces() sees the
  // state the events lead to.
  if (callback_) {
    for (const LinkEvent& e : events) callback_(e);
  }
}

}  // namespace mcast::netif
