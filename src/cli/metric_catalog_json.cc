#include "cli/metric_catalog_json.h"

#include "exporter/metric_catalog.h"
#include "nlohmann/json.hpp"

namespace mcast::cli {

std::string MetricCatalogJson() {
  nlohmann::ordered_json metrics = nlohmann::ordered_json::array();
  for (const exporter::MetricSpec& spec : exporter::MetricCatalog()) {
    nlohmann::ordered_json labels = nlohmann::ordered_json::array();
    for (std::string_view label : spec.labels) labels.push_back(label);
    nlohmann::ordered_json entry = {
        {"name", spec.name},
        {"type", exporter::MetricTypeName(spec.type)},
        {"help", spec.help},
        {"labels", labels}};
    // Added later (issue 17): the labels of the family's [[mesh]] series,
    // only for families that have them.
    if (!spec.mesh_labels.empty()) {
      nlohmann::ordered_json mesh = nlohmann::ordered_json::array();
      for (std::string_view label : spec.mesh_labels) mesh.push_back(label);
      entry["mesh_labels"] = mesh;
    }
    metrics.push_back(std::move(entry));
  }
  nlohmann::ordered_json doc = {{"metrics", metrics}};
  return doc.dump(2) + "\n";
}

}  // namespace mcast::cli
