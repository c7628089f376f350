#ifndef MCAST_EXPORTER_METRICS_HTTP_HANDLER_H_
#define MCAST_EXPORTER_METRICS_HTTP_HANDLER_H_

// Serves GET of the metrics path (the request filter answers everything
// else first). Each scrape takes the view on civetweb's worker thread (a
// short copy under the probes' lock, by the caller's function, at normal
// priority so that the lock is never held by a thread the scheduler puts
// last), then hands it to one render thread that runs at a lower CPU
// priority than the probe loop: it renders the text with RenderMetricsText
// into a reused buffer and gzips it when the client accepts it, without
// the lock. A scrape of thousands of flows must not delay the senders.
//
// It replaces prometheus-cpp's handler, which offers no way to plug in a
// serializer other than its TextSerializer over MetricFamily structs, and
// serves what that handler served: the same Content-Type, gzip on
// "Accept-Encoding: gzip", and the three exposer_* families about itself
// first (kept in a prometheus-cpp registry, as prometheus-cpp kept them).

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "CivetServer.h"
#include "absl/synchronization/mutex.h"
#include "exporter/metrics_view.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/registry.h"
#include "prometheus/summary.h"

namespace mcast::exporter {

class WebState;

class MetricsHttpHandler : public CivetHandler {
 public:
  using View = std::function<MetricsView()>;
  // `web` (may be null) gives the headers every response carries.
  MetricsHttpHandler(View view, const WebState* web);
  ~MetricsHttpHandler() override;

  bool handleGet(CivetServer* server, mg_connection* conn) override;

 private:
  struct Buffers;
  // One scrape's work for the render thread.
  struct Job {
    const MetricsView* view = nullptr;  // null: no view, no series
    Buffers* buffers = nullptr;
    bool gzip = false;
    bool done = false;
  };
  // A scrape's buffers, reused by the next one; concurrent scrapes get
  // their own (a few are kept, not one per civetweb worker).
  std::unique_ptr<Buffers> TakeBuffers();
  void GiveBack(std::unique_ptr<Buffers> buffers);
  // Runs `job` on the render thread and waits for it.
  void Render(Job* job);
  void RenderLoop();

  View view_;
  const WebState* web_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Buffers>> pool_ ABSL_GUARDED_BY(mu_);
  std::vector<Job*> jobs_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  prometheus::Registry registry_;
  prometheus::Counter& bytes_transferred_;
  prometheus::Counter& scrapes_;
  prometheus::Summary& latencies_;
  // Last: started once everything it uses exists.
  std::thread render_thread_;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_METRICS_HTTP_HANDLER_H_
