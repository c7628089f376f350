#include "exporter/prometheus_adapter.h"

#include <exception>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "util/log.h"

namespace mcast::exporter {

std::vector<prometheus::MetricFamily> FunctionCollectable::Collect() const {
  // An exception must not reach civetweb's thread; an empty scrape plus an
  // error line is the safe failure.
  try {
    return build_();
  } catch (const std::exception& e) {
    util::Log(util::LogLevel::kError, "building metrics failed: %s", e.what());
  }
  return {};
}

absl::StatusOr<std::unique_ptr<HttpEndpoint>> HttpEndpoint::Start(
    const std::string& listen, const std::string& path,
    std::shared_ptr<prometheus::Collectable> collectable) {
  std::unique_ptr<HttpEndpoint> endpoint(new HttpEndpoint());
  endpoint->collectable_ = std::move(collectable);
  try {
    endpoint->exposer_ = std::make_unique<prometheus::Exposer>(listen, 2);
    endpoint->exposer_->RegisterCollectable(endpoint->collectable_, path);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", listen, ": ", e.what()));
  }
  return endpoint;
}

std::vector<int> HttpEndpoint::ports() const {
  try {
    return exposer_->GetListeningPorts();
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace mcast::exporter
