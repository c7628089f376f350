#include "exporter/http_request_filter.h"

#include <string_view>

#include "CivetServer.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "civetweb.h"

namespace mcast::exporter {
namespace {

// civetweb's callbacks carry no pointer of ours (prometheus-cpp passes no
// user data), so each context's metrics path is looked up by context.
struct Registry {
  absl::Mutex start_mu;  // one Start at a time: `pending` belongs to it
  std::string pending ABSL_GUARDED_BY(start_mu);
  absl::Mutex mu;
  absl::flat_hash_map<const mg_context*, std::string> paths ABSL_GUARDED_BY(mu);
};

Registry& GetRegistry() {
  static Registry* registry = new Registry();  // never destroyed: callbacks
  return *registry;                            // may run during exit
}

// Called by mg_start inside Start (start_mu held) before it serves anything.
void InitContext(const mg_context* ctx) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  Registry& r = GetRegistry();
  absl::MutexLock lock(&r.mu);
  r.paths[ctx] = r.pending;
}

void ExitContext(const mg_context* ctx) {
  Registry& r = GetRegistry();
  absl::MutexLock lock(&r.mu);
  r.paths.erase(ctx);
}

int Respond(mg_connection* conn, bool head, int status,
            const char* content_type, std::string_view body,
            const char* allow = nullptr) {
  mg_response_header_start(conn, status);
  mg_response_header_add(conn, "Content-Type", content_type, -1);
  if (allow != nullptr) mg_response_header_add(conn, "Allow", allow, -1);
  const std::string length = absl::StrCat(body.size());
  mg_response_header_add(conn, "Content-Length", length.c_str(), -1);
  mg_response_header_send(conn);
  if (!head) mg_write(conn, body.data(), body.size());
  return status;
}

// Returns 0 to let civetweb (prometheus-cpp's handler) serve the request,
// or the status of the answer already sent.
int BeginRequest(mg_connection* conn) {
  const mg_request_info* ri = mg_get_request_info(conn);
  if (ri == nullptr) return 0;
  std::string path;
  {
    Registry& r = GetRegistry();
    absl::MutexLock lock(&r.mu);
    auto it = r.paths.find(mg_get_context(conn));
    if (it == r.paths.end()) return 0;
    path = it->second;
  }
  const std::string_view method =
      ri->request_method != nullptr ? ri->request_method : "";
  const std::string_view uri = ri->local_uri != nullptr ? ri->local_uri : "";
  const bool get = method == "GET";
  const bool head = method == "HEAD";
  constexpr char kText[] = "text/plain; charset=utf-8";
  constexpr char kAllow[] = "GET, HEAD";
  if (uri == path) {
    if (get) return 0;
    // The body would be the metrics; a HEAD only needs to show they answer.
    if (head) {
      mg_response_header_start(conn, 200);
      mg_response_header_add(conn, "Content-Type",
                             "text/plain; version=0.0.4; charset=utf-8", -1);
      mg_response_header_send(conn);
      return 200;
    }
    return Respond(conn, false, 405, kText, "Method Not Allowed\n", kAllow);
  }
  if (uri == "/") {
    if (!get && !head) {
      return Respond(conn, false, 405, kText, "Method Not Allowed\n", kAllow);
    }
    // The config allows any printable path, '"' and '<' included.
    const std::string href = absl::StrReplaceAll(
        path, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
    const std::string page = absl::StrCat(
        "<html><head><title>mcast-exporter</title></head><body>"
        "<h1>mcast-exporter</h1><p><a href=\"",
        href, "\">Metrics</a></p></body></html>\n");
    return Respond(conn, head, 200, "text/html; charset=utf-8", page);
  }
  return Respond(conn, head, 404, kText, "Not Found\n");
}

}  // namespace

void HttpRequestFilter::Start(
    const std::string& metrics_path,
    absl::FunctionRef<void(const CivetCallbacks*)> start) {
  Registry& r = GetRegistry();
  absl::MutexLock lock(&r.start_mu);
  r.pending = metrics_path;
  CivetCallbacks callbacks;
  callbacks.begin_request = BeginRequest;
  callbacks.init_context = InitContext;
  callbacks.exit_context = ExitContext;
  start(&callbacks);
}

}  // namespace mcast::exporter
