// IGMP and MLD queries come from any host on the link. Arbitrary bytes
// must parse without reading past the end, an accepted query must have a
// version its protocol has, values within what the wire format can say,
// and feeding it to the querier table must keep the table bounded.
#include <cstddef>
#include <cstdint>

#include "absl/types/span.h"
#include "inet/ip_address.h"
#include "net/membership_query.h"
#include "net/querier_table.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

void CheckQuery(const mcast::net::MembershipQuery& q, bool mld) {
  if (mld) {
    Check(q.version == 1 || q.version == 2);
    Check(q.max_response_ns <= (int64_t{0x1FFF} << 10) * 1'000'000);
  } else {
    Check(q.version >= 1 && q.version <= 3);
    Check(q.max_response_ns <= (int64_t{0x1F} << 10) * 100'000'000);
  }
  Check(q.robustness >= 0 && q.robustness <= 7);
  Check(q.query_interval_ns >= 0 &&
        q.query_interval_ns <= (int64_t{0x1F} << 10) * 1'000'000'000);
  Check(q.group.is_unspecified() || q.group.is_multicast());
  Check(q.robustness_or_default() > 0 && q.query_interval_or_default_ns() > 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace n = mcast::net;
  const absl::Span<const uint8_t> in(data, size);
  n::QuerierTable table(0);
  const mcast::inet::IpAddress source =
      *mcast::inet::IpAddress::Parse("192.0.2.1");
  n::MembershipQuery q;
  n::QueryParse r = n::ParseIgmpDatagram(in, &q);
  Check(!n::QueryParseName(r).empty());
  if (r == n::QueryParse::kOk) {
    CheckQuery(q, false);
    table.OnQuery(1, "a", source, q, 1, 1);
  }
  r = n::ParseIgmpQuery(in, &q);
  if (r == n::QueryParse::kOk) {
    CheckQuery(q, false);
    table.OnQuery(size % 300 + 1, "b", source, q, 2, 2);
  }
  r = n::ParseMldQuery(in, &q);
  if (r == n::QueryParse::kOk) {
    CheckQuery(q, true);
    Check(q.protocol == n::QueryProtocol::kMld);
    table.OnQuery(1, "a", source, q, 3, 3);
  }
  Check(table.entries().size() <= n::QuerierTable::kMaxEntries);
  for (const n::QuerierState& e : table.entries()) {
    const n::QuerierView v = table.View(e.ifindex, e.protocol, 1'000'000'000);
    Check(v.timeout_ns >= 0 && v.last.has_value());
  }
  return 0;
}
