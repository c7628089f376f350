#include "exporter/http_request_filter.h"

#include <string_view>

#include "CivetServer.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "civetweb.h"
#include "exporter/web_state.h"
#include "version.h"

namespace mcast::exporter {
namespace {

struct Site {
  std::string path;
  WebState* web = nullptr;
};

// civetweb's callbacks carry no pointer of ours (CivetServer keeps the
// user data), so each context's settings are looked up by context.
struct Registry {
  absl::Mutex start_mu;  // one Start at a time: `pending` belongs to it
  Site pending ABSL_GUARDED_BY(start_mu);
  absl::Mutex mu;
  absl::flat_hash_map<const mg_context*, Site> sites ABSL_GUARDED_BY(mu);
};

Registry& GetRegistry() {
  static Registry* registry = new Registry();  // never destroyed: callbacks
  return *registry;                            // may run during exit
}

// Called by mg_start inside Start (start_mu held) before it serves anything.
void InitContext(const mg_context* ctx) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  Registry& r = GetRegistry();
  absl::MutexLock lock(&r.mu);
  r.sites[ctx] = r.pending;
}

// Also inside mg_start: 1 tells civetweb the certificate is set up (per
// connection, by the TlsSwitch).
int InitSsl(void* ssl_ctx, void*) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  WebState* web = GetRegistry().pending.web;
  if (web == nullptr || !web->tls()) return -1;
  return web->tls_switch().Install(ssl_ctx) ? 1 : -1;
}

void ExitContext(const mg_context* ctx) {
  Registry& r = GetRegistry();
  absl::MutexLock lock(&r.mu);
  r.sites.erase(ctx);
}

std::string Html(absl::string_view text) {
  return absl::StrReplaceAll(
      text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

int Respond(mg_connection* conn, const WebState* web, bool head, int status,
            const char* content_type, absl::string_view body,
            const char* name = nullptr, const char* value = nullptr) {
  mg_response_header_start(conn, status);
  mg_response_header_add(conn, "Content-Type", content_type, -1);
  if (name != nullptr) mg_response_header_add(conn, name, value, -1);
  HttpRequestFilter::AddHeaders(web, conn);
  const std::string length = absl::StrCat(body.size());
  mg_response_header_add(conn, "Content-Length", length.c_str(), -1);
  mg_response_header_send(conn);
  if (!head) mg_write(conn, body.data(), body.size());
  return status;
}

std::string LandingPage(const Site& site) {
  const std::string href = Html(site.path);
  std::string probes = site.web != nullptr && site.web->probes_html
                           ? site.web->probes_html()
                           : std::string();
  return absl::StrCat(
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
      "<title>mcast-exporter</title></head><body>\n"
      "<h1>mcast-exporter</h1>\n<p>Version ",
      Html(kVersion), "</p>\n<p><a href=\"", href, "\">Metrics</a> (", href,
      ") &middot; <a href=\"/-/healthy\">healthy</a> &middot; "
      "<a href=\"/-/ready\">ready</a></p>\n",
      probes, "</body></html>\n");
}

// Returns 0 to let civetweb (the metrics handler) serve the request, or
// the status of the answer already sent.
int BeginRequest(mg_connection* conn) {
  const mg_request_info* ri = mg_get_request_info(conn);
  if (ri == nullptr) return 0;
  Site site;
  {
    Registry& r = GetRegistry();
    absl::MutexLock lock(&r.mu);
    auto it = r.sites.find(mg_get_context(conn));
    if (it == r.sites.end()) return 0;
    site = it->second;
  }
  const WebState* web = site.web;
  const absl::string_view method =
      ri->request_method != nullptr ? ri->request_method : "";
  const absl::string_view uri = ri->local_uri != nullptr ? ri->local_uri : "";
  const bool get = method == "GET";
  const bool head = method == "HEAD";
  constexpr char kText[] = "text/plain; charset=utf-8";
  // The header count's bound (the block's size is civetweb's
  // max_request_size): civetweb keeps MG_MAX_HEADERS headers in a fixed
  // array and silently drops any further ones, so a request that fills it
  // may have had more (an Authorization among them): refused as a whole.
  if (ri->num_headers >= MG_MAX_HEADERS) {
    return Respond(conn, web, head, 431, kText,
                   "Request Header Fields Too Large\n");
  }
  if (site.web != nullptr) {
    std::shared_ptr<const WebConfig> config = site.web->config();
    if (config != nullptr && !config->basic_auth_users.empty() &&
        !site.web->auth().Check(config->basic_auth_users,
                                mg_get_header(conn, "Authorization"))) {
      return Respond(conn, web, head, 401, kText, "Unauthorized\n",
                     "WWW-Authenticate", "Basic realm=\"mcast-exporter\"");
    }
  }
  if (!get && !head) {
    return Respond(conn, web, false, 405, kText, "Method Not Allowed\n",
                   "Allow", "GET, HEAD");
  }
  if (uri == site.path) {
    if (get) return 0;
    // The body would be the metrics; a HEAD only needs to show they answer.
    mg_response_header_start(conn, 200);
    mg_response_header_add(conn, "Content-Type",
                           "text/plain; version=0.0.4; charset=utf-8", -1);
    HttpRequestFilter::AddHeaders(web, conn);
    mg_response_header_send(conn);
    return 200;
  }
  if (uri == "/") {
    return Respond(conn, web, head, 200, "text/html; charset=utf-8",
                   LandingPage(site));
  }
  if (uri == "/-/healthy") {
    return Respond(conn, web, head, 200, kText, "Healthy\n");
  }
  if (uri == "/-/ready") {
    const bool ready = web == nullptr || web->ready();
    return ready ? Respond(conn, web, head, 200, kText, "Ready\n")
                 : Respond(conn, web, head, 503, kText, "Not ready\n");
  }
  return Respond(conn, web, head, 404, kText, "Not Found\n");
}

}  // namespace

void HttpRequestFilter::AddHeaders(const WebState* web, mg_connection* conn) {
  if (web == nullptr) return;
  std::shared_ptr<const WebConfig> config = web->config();
  if (config == nullptr) return;
  for (const auto& [name, value] : config->headers) {
    mg_response_header_add(conn, name.c_str(), value.c_str(), -1);
  }
}

void HttpRequestFilter::Start(
    const std::string& metrics_path, WebState* web,
    absl::FunctionRef<void(const CivetCallbacks*)> start) {
  Registry& r = GetRegistry();
  absl::MutexLock lock(&r.start_mu);
  r.pending = Site{metrics_path, web};
  CivetCallbacks callbacks;
  callbacks.begin_request = BeginRequest;
  callbacks.init_context = InitContext;
  callbacks.exit_context = ExitContext;
  if (web != nullptr && web->tls()) callbacks.init_ssl = InitSsl;
  start(&callbacks);
}

}  // namespace mcast::exporter
