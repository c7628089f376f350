#ifndef MCAST_EXPORTER_PROMETHEUS_ADAPTER_H_
#define MCAST_EXPORTER_PROMETHEUS_ADAPTER_H_

// The only place that talks to prometheus-cpp's HTTP side. Its exceptions
// (a port in use, a bad address) stop here and become absl::Status.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "prometheus/collectable.h"
#include "prometheus/exposer.h"
#include "prometheus/metric_family.h"

namespace mcast::exporter {

// A Collectable whose families come from a function called at scrape time.
class FunctionCollectable : public prometheus::Collectable {
 public:
  using Build = std::function<std::vector<prometheus::MetricFamily>()>;
  explicit FunctionCollectable(Build build) : build_(std::move(build)) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  Build build_;
};

class HttpEndpoint {
 public:
  // `listen` is "IP:PORT" or "[IPv6]:PORT"; port 0 picks a free port.
  static absl::StatusOr<std::unique_ptr<HttpEndpoint>> Start(
      const std::string& listen, const std::string& path,
      std::shared_ptr<prometheus::Collectable> collectable);

  std::vector<int> ports() const;

 private:
  HttpEndpoint() = default;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::shared_ptr<prometheus::Collectable> collectable_;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_PROMETHEUS_ADAPTER_H_
