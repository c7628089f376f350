#ifndef MCAST_EXPORTER_METRICS_TEXT_H_
#define MCAST_EXPORTER_METRICS_TEXT_H_

// Renders a MetricsView as /metrics text (exposition format 0.0.4) straight
// into a reused buffer: the same series, values and label text as
// BuildMetricFamilies + prometheus-cpp's TextSerializer (the reference
// metrics_text_test.cc compares against), at a fraction of the cost, since
// nothing per series is allocated. Families come in catalog order, each
// only when it has a series; the reference orders them by first use, which
// is the catalog order whenever the first receiver has every family (the
// format does not order families, it only keeps each one's lines together).

#include <string>

#include "exporter/metrics_view.h"

namespace mcast::exporter {

// Appends to `out`. Throws std::logic_error if a metric's labels in the
// catalog do not match what this file supplies (a bug here, as in
// BuildMetricFamilies).
void RenderMetricsText(const MetricsView& view, std::string* out);

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_METRICS_TEXT_H_
