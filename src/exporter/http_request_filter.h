#ifndef MCAST_EXPORTER_HTTP_REQUEST_FILTER_H_
#define MCAST_EXPORTER_HTTP_REQUEST_FILTER_H_

// civetweb matches handler URIs by prefix and knows nothing of basic auth
// by bcrypt, the toolkit's headers or health endpoints, so this filter runs
// first (civetweb's begin_request callback) and answers everything that is
// not an authorized GET of the exact metrics path itself:
//   64 or more headers        431 (civetweb keeps 64 and drops the rest)
//   no or wrong credentials   401 with WWW-Authenticate (when the web
//                             config has basic_auth_users; every path)
//   methods but GET/HEAD      405 with "Allow: GET, HEAD" (every path)
//   HEAD <path>               200, headers only
//   /                         200, a small HTML page: name, version, the
//                             metrics path, the probes and their state
//   /-/healthy                200 while the process runs
//   /-/ready                  200 once the config is loaded and the probes
//                             are started, 503 before
//   any other path            404
// Every answer carries the web config's http_server_config.headers. It
// also hooks TLS (init_ssl) to the WebState's TlsSwitch.

#include <string>

#include "absl/functional/function_ref.h"

struct CivetCallbacks;
struct mg_connection;

namespace mcast::exporter {

class WebState;

class HttpRequestFilter {
 public:
  // Calls `start` with callbacks that filter requests for `metrics_path`
  // under `web` (which must outlive the context). `start` must create its
  // civetweb context before returning (as mg_start does): the context
  // learns its settings during that call. Starts are serialized, so
  // several servers may run with different settings.
  static void Start(const std::string& metrics_path, WebState* web,
                    absl::FunctionRef<void(const CivetCallbacks*)> start);

  // Adds the web config's headers to a response being built.
  static void AddHeaders(const WebState* web, mg_connection* conn);
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_HTTP_REQUEST_FILTER_H_
