#include "exporter/metrics_http_handler.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <optional>

#include "absl/strings/str_cat.h"
#include "exporter/http_request_filter.h"
#include "exporter/metrics_text.h"
#include "prometheus/text_serializer.h"
#include "util/log.h"

namespace mcast::exporter {
namespace {

// Kept between scrapes: at 5000 flows the text is ~10 MiB, and growing a
// fresh buffer costs page faults on every scrape.
constexpr size_t kPooledBuffers = 2;
// The render thread runs this much nicer than the probe loop, so that on a
// busy machine the senders' timers win the CPU.
constexpr int kRenderNiceness = 10;

// On Linux a thread's nice value is its own. It cannot be raised back
// without CAP_SYS_NICE, hence a thread of its own for rendering.
void LowerThreadPriority() {
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  errno = 0;
  const int now = getpriority(PRIO_PROCESS, tid);
  if (now == -1 && errno != 0) return;
  setpriority(PRIO_PROCESS, tid, std::min(19, now + kRenderNiceness));
}

bool AcceptsGzip(mg_connection* conn) {
  // As prometheus-cpp decided it: the word anywhere in the header.
  const char* accept = mg_get_header(conn, "Accept-Encoding");
  return accept != nullptr && std::strstr(accept, "gzip") != nullptr;
}

}  // namespace

struct MetricsHttpHandler::Buffers {
  Buffers() = default;
  Buffers(const Buffers&) = delete;
  Buffers& operator=(const Buffers&) = delete;
  ~Buffers() {
    if (zs_ready) deflateEnd(&zs);
  }

  // Empty on failure (then the text goes out uncompressed).
  bool Gzip() {
    if (!zs_ready) {
      // gzip wrapper (16 + window bits). The fastest level: on metrics text
      // it still shrinks ~10x, at a fraction of the default level's CPU.
      if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 9,
                       Z_DEFAULT_STRATEGY) != Z_OK) {
        return false;
      }
      zs_ready = true;
    } else if (deflateReset(&zs) != Z_OK) {
      return false;
    }
    gz.resize(deflateBound(&zs, text.size()));
    zs.next_in = reinterpret_cast<Bytef*>(text.data());
    zs.avail_in = static_cast<uInt>(text.size());
    zs.next_out = reinterpret_cast<Bytef*>(gz.data());
    zs.avail_out = static_cast<uInt>(gz.size());
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END) return false;
    gz.resize(zs.total_out);
    return true;
  }

  std::string text;
  std::string gz;
  z_stream zs{};
  bool zs_ready = false;
};

MetricsHttpHandler::MetricsHttpHandler(View view, const WebState* web)
    : view_(std::move(view)),
      web_(web),
      bytes_transferred_(prometheus::BuildCounter()
                             .Name("exposer_transferred_bytes_total")
                             .Help("Transferred bytes to metrics services")
                             .Register(registry_)
                             .Add({})),
      scrapes_(prometheus::BuildCounter()
                   .Name("exposer_scrapes_total")
                   .Help("Number of times metrics were scraped")
                   .Register(registry_)
                   .Add({})),
      latencies_(
          prometheus::BuildSummary()
              .Name("exposer_request_latencies")
              .Help("Latencies of serving scrape requests, in microseconds")
              .Register(registry_)
              .Add({},
                   prometheus::Summary::Quantiles{
                       {0.5, 0.05}, {0.9, 0.01}, {0.99, 0.001}})),
      render_thread_([this] { RenderLoop(); }) {}

MetricsHttpHandler::~MetricsHttpHandler() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  render_thread_.join();
}

void MetricsHttpHandler::RenderLoop() {
  LowerThreadPriority();
  while (true) {
    Job* job = nullptr;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](MetricsHttpHandler* h) ABSL_EXCLUSIVE_LOCKS_REQUIRED(h->mu_) {
            return h->stop_ || !h->jobs_.empty();
          },
          this));
      if (jobs_.empty()) return;  // stop_
      job = jobs_.front();
      jobs_.erase(jobs_.begin());
    }
    std::string& text = job->buffers->text;
    const size_t own = text.size();
    // An exception must not reach civetweb's thread; the exporter's
    // series left out plus an error line is the safe failure.
    try {
      if (job->view != nullptr) RenderMetricsText(*job->view, &text);
    } catch (const std::exception& e) {
      text.resize(own);
      util::Log(util::LogLevel::kError, "building metrics failed: %s",
                e.what());
    }
    if (job->gzip) job->gzip = job->buffers->Gzip();
    absl::MutexLock lock(&mu_);
    job->done = true;
  }
}

void MetricsHttpHandler::Render(Job* job) {
  absl::MutexLock lock(&mu_);
  jobs_.push_back(job);
  mu_.Await(absl::Condition(&job->done));
}

std::unique_ptr<MetricsHttpHandler::Buffers> MetricsHttpHandler::TakeBuffers() {
  {
    absl::MutexLock lock(&mu_);
    if (!pool_.empty()) {
      std::unique_ptr<Buffers> b = std::move(pool_.back());
      pool_.pop_back();
      return b;
    }
  }
  return std::make_unique<Buffers>();
}

void MetricsHttpHandler::GiveBack(std::unique_ptr<Buffers> buffers) {
  absl::MutexLock lock(&mu_);
  if (pool_.size() < kPooledBuffers) pool_.push_back(std::move(buffers));
}

bool MetricsHttpHandler::handleGet(CivetServer*, mg_connection* conn) {
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Buffers> b = TakeBuffers();
  b->text.clear();
  // prometheus-cpp served its own families first.
  b->text += prometheus::TextSerializer().Serialize(registry_.Collect());
  std::optional<MetricsView> view;
  try {
    view.emplace(view_());
  } catch (const std::exception& e) {
    util::Log(util::LogLevel::kError, "building metrics failed: %s", e.what());
  }
  Job job{view ? &*view : nullptr, b.get(), AcceptsGzip(conn)};
  Render(&job);
  const bool gzip = job.gzip;
  const std::string& body = gzip ? b->gz : b->text;
  mg_response_header_start(conn, 200);
  mg_response_header_add(conn, "Content-Type", "text/plain; charset=utf-8", -1);
  if (gzip) mg_response_header_add(conn, "Content-Encoding", "gzip", -1);
  HttpRequestFilter::AddHeaders(web_, conn);
  const std::string length = absl::StrCat(body.size());
  mg_response_header_add(conn, "Content-Length", length.c_str(), -1);
  mg_response_header_send(conn);
  mg_write(conn, body.data(), body.size());
  const size_t sent = body.size();
  GiveBack(std::move(b));

  latencies_.Observe(
      static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - start)
                              .count()));
  bytes_transferred_.Increment(static_cast<double>(sent));
  scrapes_.Increment();
  return true;
}

}  // namespace mcast::exporter
