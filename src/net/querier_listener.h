#ifndef MCAST_NET_QUERIER_LISTENER_H_
#define MCAST_NET_QUERIER_LISTENER_H_

// Watches for IGMP and MLD membership queries on every interface of the
// namespace: one raw IGMP socket (IPv4) and one raw ICMPv6 socket filtered
// to type 130 (IPv6), each shared by every receiver of a front end, feeding
// a QuerierTable. Queries go to 224.0.0.1 / ff02::1, which every
// multicast-capable interface has joined, so no further joins are needed
// and nothing is sent.
//
// Raw sockets need CAP_NET_RAW: without it Open() returns PermissionDenied
// for that family and the table just stays empty (front ends say so once).

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "net/event_loop.h"
#include "net/querier_table.h"
#include "util/unique_fd.h"

namespace mcast::net {

class QuerierListener {
 public:
  // Reads at most this many messages per wake-up.
  static constexpr int kMaxMessagesPerCall = 64;

  // `mu`, when set, is locked around the table updates (front ends whose
  // other threads read the table).
  QuerierListener(EventLoop* loop, absl::Mutex* mu = nullptr);
  ~QuerierListener();
  QuerierListener(const QuerierListener&) = delete;
  QuerierListener& operator=(const QuerierListener&) = delete;

  // Opens and registers the sockets of the families asked for. The first
  // failure is returned (PermissionDenied: no CAP_NET_RAW); a family that
  // opened keeps listening.
  absl::Status Open(bool ipv4, bool ipv6);
  bool listening_v4() const { return v4_.valid(); }
  bool listening_v6() const { return v6_.valid(); }

  const QuerierTable& table() const { return table_; }
  // Messages read that were not well-formed queries (reports are counted
  // here too: a raw IGMP socket sees them all).
  uint64_t ignored() const { return ignored_; }

  // Parses and records one message as read from the raw socket of its
  // family (the IPv4 datagram with its header, or the ICMPv6 message).
  // Exposed for tests.
  void OnMessage(bool ipv6, const uint8_t* data, size_t length, int ifindex,
                 const inet::IpAddress& source, int64_t mono_ns,
                 int64_t real_ns);

 private:
  void OnReadable(bool ipv6);

  EventLoop* loop_;
  absl::Mutex* mu_;
  util::UniqueFd v4_;
  util::UniqueFd v6_;
  QuerierTable table_;
  uint64_t ignored_ = 0;
  std::vector<uint8_t> buffer_;
};

}  // namespace mcast::net

#endif  // MCAST_NET_QUERIER_LISTENER_H_
