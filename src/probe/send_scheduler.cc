#include "probe/send_scheduler.h"

#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "net/clock.h"
#include "probe/optional_lock.h"

namespace mcast::probe {

absl::StatusOr<std::unique_ptr<SendScheduler>> SendScheduler::Create(
    SendSchedulerOptions options) {
  std::unique_ptr<SendScheduler> s(new SendScheduler(options));
  SendScheduler* self = s.get();
  absl::StatusOr<net::TimerId> timer = options.loop->AddAbsoluteTimer([self] {
    OptionalLock lock(self->options_.mu);
    self->armed_at_ = INT64_MAX;
    self->SendDue(net::MonotonicNanos());
  });
  if (!timer.ok()) return timer.status();
  s->timer_ = *timer;
  return s;
}

SendScheduler::SendScheduler(SendSchedulerOptions options) : options_(options) {
  options_.coalesce_ns = std::max<int64_t>(0, options_.coalesce_ns);
  for (Batch& b : batches_) {
    b.messages.reserve(net::SharedSendSocket::kMaxBatch);
    b.errors.resize(net::SharedSendSocket::kMaxBatch);
    b.shares.reserve(net::SharedSendSocket::kMaxBatch);
  }
}

SendScheduler::~SendScheduler() {
  if (timer_ != 0) (void)options_.loop->CancelTimer(timer_);
}

size_t SendScheduler::ClassIndex(net::SendSocketClass c) {
  if (c.family == AF_INET6) return 4 + (c.loopback ? 1 : 0);
  return (c.loopback ? 1 : 0) + (c.ttl_zero ? 2 : 0);
}

const net::SharedSendSocket* SendScheduler::socket(
    net::SendSocketClass c) const {
  const Batch& b = batches_[ClassIndex(c)];
  return b.socket ? &*b.socket : nullptr;
}

SendScheduler::FlowId SendScheduler::Add(ProbeSender* sender,
                                         const net::SendRoute* route,
                                         std::string no_route_error) {
  FlowId id;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
  } else {
    id = static_cast<FlowId>(flows_.size());
    flows_.emplace_back();
    // Room for every flow in a round, and in the heap twice (a removed
    // flow's stale entry and its slot's next one), so that sending never
    // grows a vector (round_ and next_round_ swap their storage).
    round_.reserve(flows_.size());
    next_round_.reserve(flows_.size());
    heap_.reserve(2 * flows_.size());
  }
  Flow& f = flows_[id];
  f.sender = sender;
  f.route = route;
  f.no_route_error = std::move(no_route_error);
  f.live = true;
  f.sent_this_wake = 0;
  ++live_flows_;
  if (std::optional<int64_t> wake = sender->NextWake(INT64_MIN)) {
    Push(id, *wake);
    Arm(*wake);
  }
  return id;
}

void SendScheduler::SetRoute(FlowId flow, const net::SendRoute* route,
                             std::string no_route_error) {
  Flow& f = flows_[flow];
  f.route = route;
  f.no_route_error = std::move(no_route_error);
}

void SendScheduler::Remove(FlowId flow) {
  Flow& f = flows_[flow];
  if (!f.live) return;
  // Its heap entry stays and is dropped when it comes up: the generation no
  // longer matches.
  const uint32_t generation = f.generation + 1;
  f = Flow();
  f.generation = generation;
  --live_flows_;
  free_.push_back(flow);
}

void SendScheduler::Push(FlowId flow, int64_t wake) {
  heap_.push_back({wake, flow, flows_[flow].generation});
  std::push_heap(heap_.begin(), heap_.end());
}

void SendScheduler::Arm(int64_t at) {
  at = std::max(at, last_wake_ + options_.coalesce_ns);
  if (at >= armed_at_) return;
  if (options_.loop->ArmAt(timer_, at).ok()) armed_at_ = at;
}

void SendScheduler::Requeue(FlowId flow, int64_t now,
                            std::vector<FlowId>& again) {
  Flow& f = flows_[flow];
  std::optional<int64_t> wake = f.sender->NextWake(now);
  if (!wake) return;  // A finite run is complete: the flow just stops.
  if (*wake <= now && f.sent_this_wake < ProbeSender::kMaxPerCall) {
    again.push_back(flow);
    return;
  }
  Push(flow, *wake);
}

void SendScheduler::Flush(size_t class_index, int64_t now,
                          std::vector<FlowId>& again) {
  Batch& b = batches_[class_index];
  if (b.messages.empty()) return;
  if (!b.socket && b.open_error.empty()) {
    // The first flow of this class opens its socket; a failure (e.g. out of
    // descriptors) is that wake-up's send error and is tried again next
    // time.
    absl::StatusOr<net::SharedSendSocket> s =
        net::SharedSendSocket::Open(b.messages.front().route->socket_class());
    if (s.ok()) {
      b.socket.emplace(std::move(*s));
    } else {
      b.open_error = std::string(s.status().message());
    }
  }
  if (b.socket) {
    stats_.sendmmsg_calls += static_cast<uint64_t>(
        b.socket->Send(b.messages, absl::MakeSpan(b.errors)));
  }
  for (const Share& share : b.shares) {
    Flow& f = flows_[share.flow];
    size_t sent = 0;
    std::string error;  // Built only on the error path.
    if (!b.socket) {
      error = b.open_error;
    } else {
      while (sent < share.count && b.errors[share.begin + sent] == 0) ++sent;
      if (sent < share.count) {
        error =
            absl::StrCat("sendmmsg to ", f.route->options().group.ToString(),
                         ": ", std::strerror(b.errors[share.begin + sent]));
      }
    }
    f.sender->CommitPrepared(sent, error);
    f.sent_this_wake += share.count;
    Requeue(share.flow, now, again);
  }
  if (!b.socket) b.open_error.clear();
  b.messages.clear();
  b.shares.clear();
}

void SendScheduler::SendDue(int64_t now) {
  ++stats_.wakeups;
  last_wake_ = now;
  round_.clear();
  while (!heap_.empty() && heap_.front().wake <= now) {
    const HeapEntry e = heap_.front();
    std::pop_heap(heap_.begin(), heap_.end());
    heap_.pop_back();
    Flow& f = flows_[e.flow];
    if (!f.live || f.generation != e.generation) continue;
    f.sent_this_wake = 0;
    round_.push_back(e.flow);
  }
  while (!round_.empty()) {
    next_round_.clear();
    for (FlowId id : round_) {
      Flow& f = flows_[id];
      absl::Span<const absl::Span<const uint8_t>> views =
          f.sender->PrepareDue(now);
      if (views.empty() || f.route == nullptr) {
        f.sender->CommitPrepared(0, f.no_route_error);
        f.sent_this_wake += views.size();
        Requeue(id, now, next_round_);
        continue;
      }
      const size_t c = ClassIndex(f.route->socket_class());
      Batch& b = batches_[c];
      if (b.messages.size() + views.size() > net::SharedSendSocket::kMaxBatch) {
        Flush(c, now, next_round_);
      }
      b.shares.push_back({id, static_cast<uint32_t>(b.messages.size()),
                          static_cast<uint32_t>(views.size())});
      for (absl::Span<const uint8_t> v : views) {
        b.messages.push_back({f.route, v, id});
      }
    }
    for (size_t c = 0; c < kClasses; ++c) Flush(c, now, next_round_);
    std::swap(round_, next_round_);
  }
  if (!heap_.empty()) Arm(heap_.front().wake);
}

}  // namespace mcast::probe
