#include "exporter/http_endpoint.h"

#include <exception>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
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

std::vector<std::string> CivetOptions(const std::string& listen) {
  return {
      "listening_ports",
      listen,
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
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpEndpoint>> HttpEndpoint::Start(
    const std::string& listen, const std::string& path,
    MetricsHttpHandler::View view) {
  std::unique_ptr<HttpEndpoint> endpoint(new HttpEndpoint());
  endpoint->handler_ = std::make_unique<MetricsHttpHandler>(std::move(view));
  std::string error;
  HttpRequestFilter::Start(path, [&](const CivetCallbacks* callbacks) {
    try {
      endpoint->server_ =
          std::make_unique<CivetServer>(CivetOptions(listen), callbacks);
      endpoint->server_->addHandler(path, endpoint->handler_.get());
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "unknown error";
    }
  });
  if (!error.empty()) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", listen, ": ", error));
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
