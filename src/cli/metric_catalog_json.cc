#include "cli/metric_catalog_json.h"

#include "exporter/metric_catalog.h"
#include "nlohmann/json.hpp"

namespace mcast::cli {

std::string MetricCatalogJson() {
  nlohmann::ordered_json metrics = nlohmann::ordered_json::array();
  for (const exporter::MetricSpec& spec : exporter::MetricCatalog()) {
    nlohmann::ordered_json labels = nlohmann::ordered_json::array();
    for (std::string_view label : spec.labels) labels.push_back(label);
    metrics.push_back({{"name", spec.name},
                       {"type", exporter::MetricTypeName(spec.type)},
                       {"help", spec.help},
                       {"labels", labels}});
  }
  nlohmann::ordered_json doc = {{"metrics", metrics}};
  return doc.dump(2) + "\n";
}

}  // namespace mcast::cli
