#ifndef MCAST_NET_QUERIER_TABLE_H_
#define MCAST_NET_QUERIER_TABLE_H_

// What the membership queries seen on each interface say about its
// querier, per interface and protocol (IGMP, MLD): the querier's address,
// version, query interval, max response time, robustness, when the last
// general query came and how many queries came. Pure: fed parsed queries
// and clock readings, so it is tested without sockets (net/querier_listener
// feeds it from raw sockets).
//
// "No querier": no general query for longer than robustness x query
// interval + max response time (RFC 3376 8.4's Group Membership Interval:
// a snooping switch ages memberships out then), with the last querier's
// values, or the protocol defaults (2 x 125 s + 10 s) when none was seen
// since the table started. Until that much time has passed without one the
// state is "unknown".
//
// The table is bounded (kMaxEntries): an interface beyond it is not
// tracked; entries of interfaces that went away stay (ifindex reuse only
// overwrites them).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "inet/ip_address.h"
#include "net/membership_query.h"

namespace mcast::net {

enum class QuerierPresence { kUnknown, kPresent, kNone };

// "unknown", "present", "none".
std::string_view QuerierPresenceName(QuerierPresence presence);

struct QuerierState {
  int ifindex = 0;
  std::string interface;
  QueryProtocol protocol = QueryProtocol::kIgmp;
  // Source of the last query (0.0.0.0 is what a Linux bridge sends without
  // mcast_query_use_ifaddr).
  inet::IpAddress address;
  int version = 0;
  int64_t query_interval_ns = 0;  // In effect: QQIC, else the default.
  bool query_interval_carried = false;
  int64_t max_response_ns = 0;       // Of the last general query.
  int robustness = 0;                // In effect: QRV, else the default.
  int64_t last_general_mono_ns = 0;  // 0: no general query yet.
  int64_t last_general_real_ns = 0;
  int64_t last_query_mono_ns = 0;
  uint64_t queries = 0;  // General and group(-and-source)-specific.
  uint64_t general_queries = 0;
};

// One interface and protocol as a front end shows it.
struct QuerierView {
  QuerierPresence presence = QuerierPresence::kUnknown;
  std::optional<QuerierState> last;  // The last querier seen, if any.
  // robustness x interval + max response time that presence uses.
  int64_t timeout_ns = 0;
  // Since the last general query; else since the table started.
  int64_t since_ns = 0;
};

class QuerierTable {
 public:
  static constexpr size_t kMaxEntries = 256;

  explicit QuerierTable(int64_t start_mono_ns)
      : start_mono_ns_(start_mono_ns) {}

  // One query received on `ifindex` (named `interface`) from `source`.
  void OnQuery(int ifindex, std::string_view interface,
               const inet::IpAddress& source, const MembershipQuery& query,
               int64_t mono_ns, int64_t real_ns);

  QuerierView View(int ifindex, QueryProtocol protocol,
                   int64_t now_mono_ns) const;
  const QuerierState* Find(int ifindex, QueryProtocol protocol) const;
  const std::vector<QuerierState>& entries() const { return entries_; }
  // Queries not tracked because the table was full.
  uint64_t untracked() const { return untracked_; }

 private:
  int64_t start_mono_ns_;
  std::vector<QuerierState> entries_;
  uint64_t untracked_ = 0;
};

}  // namespace mcast::net

#endif  // MCAST_NET_QUERIER_TABLE_H_
