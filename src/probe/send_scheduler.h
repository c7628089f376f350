#ifndef MCAST_PROBE_SEND_SCHEDULER_H_
#define MCAST_PROBE_SEND_SCHEDULER_H_

// Paces many ProbeSenders on one event loop with one absolute timer and
// sends their datagrams through shared sockets (net::SharedSendSocket), so a
// thousand flows cost one wake-up and one sendmmsg per batch instead of a
// timerfd, a socket and a sendmmsg per flow per packet.
//
// A deadline heap holds every flow at its next wake-up (ProbeSender's
// NextWake, which keeps min_wake_spacing). On a wake-up every flow due by
// now prepares up to ProbeSender::kBatch packets into its own buffers; they
// are gathered per shared socket (one per SendSocketClass: IPv4 with
// multicast loop on or off x TTL 0 or not, IPv6 with loop on or off), sent, and
// each flow commits exactly what of its share left
// (ProbeSender::CommitPrepared: refused packets are send errors of that flow
// only, their slots skipped). Flows still behind go round again, up to
// ProbeSender::kMaxPerCall packets per wake-up each, so a fast flow cannot
// starve the others; the rest wait in the heap.
//
// Wake-ups come at most every `coalesce_ns`: the flows due within that
// window leave together, each packet at most that late. Packets carry their
// departure timestamp, so receivers' latency and jitter are unaffected; the
// bench reference (tests/bench/reference_io.cc) ticks every 1 ms the same
// way.
//
// Not thread-safe: flows are added, re-routed and removed on the loop
// thread (or under `mu`, which the timer callback takes too).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "net/event_loop.h"
#include "net/send_route.h"
#include "net/shared_send_socket.h"
#include "probe/probe_sender.h"

namespace mcast::probe {

struct SendSchedulerOptions {
  net::EventLoop* loop = nullptr;
  absl::Mutex* mu = nullptr;  // Locked around the timer callback when set.
  int64_t coalesce_ns = 1'000'000;
};

class SendScheduler {
 public:
  using FlowId = uint32_t;

  static absl::StatusOr<std::unique_ptr<SendScheduler>> Create(
      SendSchedulerOptions options);
  ~SendScheduler();
  SendScheduler(const SendScheduler&) = delete;
  SendScheduler& operator=(const SendScheduler&) = delete;

  // Schedules `sender` (the caller's; it must outlive the flow) from its
  // next deadline. Without a route (nullptr) its due packets are send
  // errors with `no_route_error` as their text.
  FlowId Add(ProbeSender* sender, const net::SendRoute* route,
             std::string no_route_error);
  // A new route (reopen, link event); the old one is no longer used.
  void SetRoute(FlowId flow, const net::SendRoute* route,
                std::string no_route_error);
  void Remove(FlowId flow);

  // The wake-up, public for tests: sends what is due at now_mono_ns.
  void SendDue(int64_t now_mono_ns);

  struct Stats {
    uint64_t wakeups = 0;
    uint64_t sendmmsg_calls = 0;
  };
  const Stats& stats() const { return stats_; }
  size_t flows() const { return live_flows_; }
  // The shared socket of a class, once a flow of that class sent (tests).
  const net::SharedSendSocket* socket(net::SendSocketClass c) const;

 private:
  struct Flow {
    ProbeSender* sender = nullptr;
    const net::SendRoute* route = nullptr;
    std::string no_route_error;
    uint32_t generation = 0;
    bool live = false;
    uint64_t sent_this_wake = 0;
  };
  struct HeapEntry {
    int64_t wake;
    FlowId flow;
    uint32_t generation;
    // std::push_heap builds a max-heap: earliest wake on top.
    bool operator<(const HeapEntry& o) const { return wake > o.wake; }
  };
  // A flow's share of a batch: messages [begin, begin + count).
  struct Share {
    FlowId flow;
    uint32_t begin;
    uint32_t count;
  };
  struct Batch {
    std::optional<net::SharedSendSocket> socket;
    std::string open_error;
    std::vector<net::SharedSendMessage> messages;
    std::vector<int> errors;
    std::vector<Share> shares;
  };
  // IPv4: loopback x ttl_zero; IPv6: loopback.
  static constexpr size_t kClasses = 6;

  explicit SendScheduler(SendSchedulerOptions options);
  static size_t ClassIndex(net::SendSocketClass c);
  void Push(FlowId flow, int64_t wake);
  // After a commit: into the next round (`again`) or back into the heap.
  void Requeue(FlowId flow, int64_t now, std::vector<FlowId>& again);
  void Flush(size_t class_index, int64_t now, std::vector<FlowId>& again);
  void Arm(int64_t at);

  SendSchedulerOptions options_;
  net::TimerId timer_ = 0;
  int64_t armed_at_ = INT64_MAX;  // INT64_MAX: not armed.
  int64_t last_wake_ = INT64_MIN / 2;
  std::vector<Flow> flows_;
  std::vector<FlowId> free_;
  size_t live_flows_ = 0;
  std::vector<HeapEntry> heap_;
  std::vector<FlowId> round_;
  std::vector<FlowId> next_round_;
  Batch batches_[kClasses];
  Stats stats_;
};

}  // namespace mcast::probe

#endif  // MCAST_PROBE_SEND_SCHEDULER_H_
