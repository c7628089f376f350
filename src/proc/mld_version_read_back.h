#ifndef MCAST_PROC_MLD_VERSION_READ_BACK_H_
#define MCAST_PROC_MLD_VERSION_READ_BACK_H_

// The MLD version in effect on an interface, read back from the kernel.
//
// Unlike IGMP (the Querier column of /proc/net/igmp), the kernel shows no
// per-interface "MLD version in effect". What decides it (mld_in_v1_mode()
// in net/ipv6/mcast.c) is, in this order:
//   1. force_mld_version = 2: MLDv2, whatever querier is on the link;
//   2. force_mld_version = 1: MLDv1;
//   3. otherwise MLDv2, unless an MLDv1 query was heard within the Older
//      Version Querier Present Timeout (RFC 3810 9.12, about 260 s with the
//      default timers): then MLDv1. That timer is not visible anywhere.
// (Measured on kernel 6.18: a join with force_mld_version=1 sent type 131
// only, with 0 or 2 type 143 only; conf/all/force_mld_version=1 did not
// change a device whose own value was 0. Values other than 1 and 2 act as
// 0.)
//
// So the read-back is: the forced value when it is 1 or 2 (exact: the
// kernel's first two rules); otherwise the kind of report the interface
// actually sent, from its /proc/net/dev_snmp6 counters
// (mld_report_counters.h): after a snapshot, the version whose counter rose
// when only one did (a join sends its report at once, a query is answered
// within seconds). Without such a change, an interface that has only ever
// sent one kind of report is taken to speak it; one that has sent both
// kinds (a v1 querier came and went, or someone forced v1 for a while) or
// none is unknown (0) until the next report.
//
// Limits: the counters are per device, not per group: any report on the
// device counts, ours or another program's; a v1 querier heard after the
// last report shows only with the next report (the answer to its query, at
// most its Maximum Response Delay later); interfaces that send no reports
// (lo: the kernel sends none for ff01::/16 and ff02::1) stay unknown unless
// forced.

#include "proc/mld_report_counters.h"

namespace mcast::proc {

// The rule above for one reading without history: forced (1, 2), else the
// only kind of report ever sent, else 0.
int MldVersionInEffect(int forced, const MldReportCounters& now);

class MldVersionReadBack {
 public:
  // Takes `now` as the snapshot the next Update compares against.
  void Start(const MldReportCounters& now) {
    last_ = now;
    started_ = true;
  }
  // The version in effect given the forced value and the counters now;
  // remembers the last decisive answer, so a quiet interface keeps it.
  int Update(int forced, const MldReportCounters& now);
  // The last answer of Update (0 before the first, or unknown).
  int version() const { return version_; }

 private:
  MldReportCounters last_;
  bool started_ = false;
  int version_ = 0;
  bool by_reports_ = false;  // version_ came from the counters.
};

}  // namespace mcast::proc

#endif  // MCAST_PROC_MLD_VERSION_READ_BACK_H_
