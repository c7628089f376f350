#ifndef MCAST_EXPORTER_METRIC_FAMILIES_H_
#define MCAST_EXPORTER_METRIC_FAMILIES_H_

// Turns a MetricsView into Prometheus metric families: the reference that
// RenderMetricsText (metrics_text.h, what /metrics serves) is held to by
// metrics_text_test.cc through prometheus-cpp's TextSerializer. Names, types,
// help and label names come from metric_catalog.h; this supplies the values:
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
