#ifndef MCAST_EXPORTER_HTTP_ENDPOINT_H_
#define MCAST_EXPORTER_HTTP_ENDPOINT_H_

// The metrics HTTP server: civetweb (CivetServer) with the request filter
// (http_request_filter.h) in front and MetricsHttpHandler on the metrics
// path, on one or more addresses, TLS on all of them when the web config
// (web_state.h) has a tls_server_config. civetweb's exceptions (a port in
// use, a bad address) stop here and become absl::Status.

#include <memory>
#include <string>
#include <vector>

#include "CivetServer.h"
#include "absl/status/statusor.h"
#include "exporter/metrics_http_handler.h"
#include "exporter/web_state.h"

namespace mcast::exporter {

class HttpEndpoint {
 public:
  // Each of `listen` is "IP:PORT" or "[IPv6]:PORT"; port 0 picks a free
  // port. `view` is called on civetweb's threads, once per scrape. `web`
  // (not null) must outlive the endpoint.
  static absl::StatusOr<std::unique_ptr<HttpEndpoint>> Start(
      const std::vector<std::string>& listen, const std::string& path,
      MetricsHttpHandler::View view, WebState* web);

  std::vector<int> ports() const;

 private:
  HttpEndpoint() = default;
  // Declared first so that it outlives the server that calls it.
  std::unique_ptr<MetricsHttpHandler> handler_;
  std::unique_ptr<CivetServer> server_;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_HTTP_ENDPOINT_H_
