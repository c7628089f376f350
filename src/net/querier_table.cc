#include "net/querier_table.h"

namespace mcast::net {

std::string_view QuerierPresenceName(QuerierPresence presence) {
  switch (presence) {
    case QuerierPresence::kUnknown:
      return "unknown";
    case QuerierPresence::kPresent:
      return "present";
    case QuerierPresence::kNone:
      return "none";
  }
  return "unknown";
}

const QuerierState* QuerierTable::Find(int ifindex,
                                       QueryProtocol protocol) const {
  for (const QuerierState& e : entries_) {
    if (e.ifindex == ifindex && e.protocol == protocol) return &e;
  }
  return nullptr;
}

void QuerierTable::OnQuery(int ifindex, std::string_view interface,
                           const inet::IpAddress& source,
                           const MembershipQuery& query, int64_t mono_ns,
                           int64_t real_ns) {
  QuerierState* e = nullptr;
  for (QuerierState& candidate : entries_) {
    if (candidate.ifindex == ifindex && candidate.protocol == query.protocol) {
      e = &candidate;
    }
  }
  if (e == nullptr) {
    if (entries_.size() >= kMaxEntries) {
      ++untracked_;
      return;
    }
    entries_.emplace_back();
    e = &entries_.back();
    e->ifindex = ifindex;
    e->protocol = query.protocol;
  }
  if (e->interface != interface) e->interface = std::string(interface);
  e->address = source;
  e->version = query.version;
  e->last_query_mono_ns = mono_ns;
  ++e->queries;
  if (!query.general()) return;
  // Group-specific queries carry the last-member interval as their max
  // response: only general ones say what the membership timers are.
  ++e->general_queries;
  e->last_general_mono_ns = mono_ns;
  e->last_general_real_ns = real_ns;
  e->max_response_ns = query.max_response_ns;
  e->robustness = query.robustness_or_default();
  e->query_interval_ns = query.query_interval_or_default_ns();
  e->query_interval_carried = query.query_interval_ns > 0;
}

QuerierView QuerierTable::View(int ifindex, QueryProtocol protocol,
                               int64_t now_mono_ns) const {
  QuerierView v;
  const QuerierState* e = Find(ifindex, protocol);
  if (e != nullptr) v.last = *e;
  if (e != nullptr && e->general_queries > 0) {
    v.timeout_ns = e->robustness * e->query_interval_ns + e->max_response_ns;
    v.since_ns = now_mono_ns - e->last_general_mono_ns;
    v.presence = v.since_ns > v.timeout_ns ? QuerierPresence::kNone
                                           : QuerierPresence::kPresent;
    return v;
  }
  // Query Response Interval default: 10 s for IGMP and MLD alike.
  v.timeout_ns =
      kDefaultRobustness * kDefaultQueryIntervalNs + kIgmpv1MaxResponseNs;
  v.since_ns = now_mono_ns - start_mono_ns_;
  v.presence = v.since_ns > v.timeout_ns ? QuerierPresence::kNone
                                         : QuerierPresence::kUnknown;
  return v;
}

}  // namespace mcast::net
