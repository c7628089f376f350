#include "exporter/http_endpoint.h"

#include <exception>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "exporter/http_limits.h"
#include "exporter/http_request_filter.h"

namespace mcast::exporter {
namespace {

// kHttpWorkers, kHttpConnectionQueue: http_limits.h. Beyond those, new
// connections wait in the kernel's listen backlog, each served within
// kRequestTimeoutMs of a worker taking a stalled client.
constexpr int kListenBacklog = 128;
// A whole request header must arrive within this time (it is one short
// GET); also bounds each blocked write of a response to a reader that
// stalls.
constexpr int kRequestTimeoutMs = 5000;
// Longer headers are refused (civetweb answers 431) before any handler.
constexpr int kMaxRequestBytes = 8192;

std::vector<std::string> CivetOptions(const std::vector<std::string>& listen,
                                      bool tls) {
  std::vector<std::string> ports;
  // civetweb marks a TLS port with a trailing 's'.
  for (const std::string& l : listen) ports.push_back(tls ? l + "s" : l);
  std::vector<std::string> options = {
      "listening_ports",
      absl::StrJoin(ports, ","),
      "num_threads",
      absl::StrCat(kHttpWorkers),
      "connection_queue",
      absl::StrCat(kHttpConnectionQueue),
      "listen_backlog",
      absl::StrCat(kListenBacklog),
      "request_timeout_ms",
      absl::StrCat(kRequestTimeoutMs),
      "max_request_size",
      absl::StrCat(kMaxRequestBytes),
      // An idle keep-alive connection would hold a worker between scrapes
      // for nothing: Prometheus reconnects cheaply every interval.
      "enable_keep_alive",
      "no",
  };
  if (tls) {
    // TLS 1.0 and up at the context; each connection's own range comes
    // from the web config (TlsMaterial::Apply), as do the certificate and
    // the client checks.
    options.insert(options.end(), {"ssl_protocol_version", "2"});
  }
  return options;
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpEndpoint>> HttpEndpoint::Start(
    const std::vector<std::string>& listen, const std::string& path,
    MetricsHttpHandler::View view, WebState* web) {
  std::unique_ptr<HttpEndpoint> endpoint(new HttpEndpoint());
  endpoint->handler_ =
      std::make_unique<MetricsHttpHandler>(std::move(view), web);
  std::string error;
  HttpRequestFilter::Start(path, web, [&](const CivetCallbacks* callbacks) {
    try {
      endpoint->server_ = std::make_unique<CivetServer>(
          CivetOptions(listen, web->tls()), callbacks);
      endpoint->server_->addHandler(path, endpoint->handler_.get());
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "unknown error";
    }
  });
  if (!error.empty()) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", absl::StrJoin(listen, ", "),
                     web->tls() ? " (TLS)" : "", ": ", error));
  }
  return endpoint;
}

std::vector<int> HttpEndpoint::ports() const {
  try {
    return server_->getListeningPorts();
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace mcast::exporter
