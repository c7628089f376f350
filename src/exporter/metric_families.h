#ifndef MCAST_EXPORTER_METRIC_FAMILIES_H_
#define MCAST_EXPORTER_METRIC_FAMILIES_H_

// Turns a MetricsView into Prometheus metric families. The names and
// labels are a contract with the shipped dashboards and alert rules (the
// README lists every one):
//   receiver series: probe, group, source ("*" for ASM), interface;
//   per-sender series add `sender` (the sender's address). The sender id is
//   never a label: a restart must not create new series.

#include <vector>

#include "exporter/metrics_view.h"
#include "prometheus/metric_family.h"

namespace mcast::exporter {

std::vector<prometheus::MetricFamily> BuildMetricFamilies(
    const MetricsView& view, int64_t now_mono_ns);

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_METRIC_FAMILIES_H_
