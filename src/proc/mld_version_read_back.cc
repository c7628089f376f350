#include "proc/mld_version_read_back.h"

namespace mcast::proc {

int MldVersionInEffect(int forced, const MldReportCounters& now) {
  if (forced == 1 || forced == 2) return forced;
  if (now.v1_reports > 0 && now.v2_reports == 0) return 1;
  if (now.v2_reports > 0 && now.v1_reports == 0) return 2;
  return 0;
}

int MldVersionReadBack::Update(int forced, const MldReportCounters& now) {
  const int before = by_reports_ ? version_ : 0;
  by_reports_ = true;
  if (forced == 1 || forced == 2) {
    version_ = forced;
    by_reports_ = false;  // Says nothing once the sysctl is put back.
  } else if (started_ && now.v1_reports > last_.v1_reports &&
             now.v2_reports == last_.v2_reports) {
    version_ = 1;
  } else if (started_ && now.v2_reports > last_.v2_reports &&
             now.v1_reports == last_.v1_reports) {
    version_ = 2;
  } else if (!started_ || now == last_) {
    // Nothing sent since: keep a decisive answer, else the lifetime rule.
    version_ = before != 0 ? before : MldVersionInEffect(0, now);
  } else {
    version_ = 0;  // Both kinds since the snapshot: a switch in between.
  }
  last_ = now;
  started_ = true;
  return version_;
}

}  // namespace mcast::proc
