#ifndef MCAST_CLI_METRIC_CATALOG_JSON_H_
#define MCAST_CLI_METRIC_CATALOG_JSON_H_

// The exporter's metric catalog as JSON (`mcast-exporter --print-metrics`):
//   {"metrics": [{"name", "type", "help", "labels": [...],
//                 "mesh_labels": [...]}, ...]}
// in catalog order; "mesh_labels" (the labels of a [[mesh]] probe's series)
// only for families that have mesh series. The README test and the dashboard
// lint read this rather than the C++ source, so they check what the binary
// serves.

#include <string>

namespace mcast::cli {

std::string MetricCatalogJson();

}  // namespace mcast::cli

#endif  // MCAST_CLI_METRIC_CATALOG_JSON_H_
