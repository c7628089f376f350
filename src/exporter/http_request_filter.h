#ifndef MCAST_EXPORTER_HTTP_REQUEST_FILTER_H_
#define MCAST_EXPORTER_HTTP_REQUEST_FILTER_H_

// civetweb matches handler URIs by prefix, so prometheus-cpp's handler on
// "/metrics" also answers "/metricsX" and "/metrics/foo", and it knows GET
// only. This filter runs first (civetweb's begin_request callback) and
// answers everything that is not a GET of the exact metrics path itself:
//   HEAD <path>        200, headers only
//   GET|HEAD /         200, a small HTML page linking the metrics path
//   other methods      405 with "Allow: GET, HEAD" (on <path> and "/")
//   any other path     404

#include <string>

#include "absl/functional/function_ref.h"

struct CivetCallbacks;

namespace mcast::exporter {

class HttpRequestFilter {
 public:
  // Calls `start` with callbacks that filter requests for `metrics_path`.
  // `start` must create its civetweb context before returning (as
  // mg_start does): the context learns its path during that call. Starts
  // are serialized, so several servers may run with different paths.
  static void Start(const std::string& metrics_path,
                    absl::FunctionRef<void(const CivetCallbacks*)> start);
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_HTTP_REQUEST_FILTER_H_
