// The parsers users meet on every command line and in every config value:
// addresses, DSCP, rates and durations. Each accepted value must satisfy
// the type's own promise and survive a round trip through its text form.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "inet/ip_address.h"
#include "util/dscp.h"
#include "util/duration.h"
#include "util/rate.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  using mcast::inet::IpAddress;

  if (absl::StatusOr<IpAddress> a = IpAddress::Parse(text); a.ok()) {
    Check(a->is_v4() || a->is_v6());
    absl::StatusOr<IpAddress> again = IpAddress::Parse(a->ToString());
    Check(again.ok() && *again == *a);
  }

  if (absl::StatusOr<int> d = mcast::util::ParseDscp(text); d.ok()) {
    Check(*d >= 0 && *d <= 63);
    absl::StatusOr<int> again =
        mcast::util::ParseDscp(mcast::util::DscpName(*d));
    Check(again.ok() && *again == *d);
  }

  if (absl::StatusOr<mcast::util::Rate> r = mcast::util::ParseRate(text);
      r.ok()) {
    // rate.h promises a value that is > 0 and finite.
    Check(r->value > 0 && std::isfinite(r->value));
    Check(std::isfinite(r->PacketsPerSecond(32)));
    absl::StatusOr<mcast::util::Rate> again =
        mcast::util::ParseRate(r->ToString());
    Check(again.ok() && again->unit == r->unit);
    Check(std::fabs(again->value - r->value) <= 1e-5 * r->value);
  }

  if (absl::StatusOr<absl::Duration> t = mcast::util::ParseDuration(text);
      t.ok()) {
    Check(*t >= absl::ZeroDuration());
    Check(*t <= absl::Hours(24 * 365 * 100 + 24 * 100));
  }
  return 0;
}
