#include "net/event_loop.h"

#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"
#include "net/clock.h"
#include "util/errno_status.h"

namespace mcast::net {
namespace {

timespec ToTimespec(int64_t ns) {
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
  ts.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  return ts;
}

}  // namespace

absl::StatusOr<std::unique_ptr<EventLoop>> EventLoop::Create() {
  util::UniqueFd epoll_fd(epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_fd.valid()) return util::ErrnoToStatus(errno, "epoll_create1");
  util::UniqueFd wakeup_fd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wakeup_fd.valid()) return util::ErrnoToStatus(errno, "eventfd");
  util::UniqueFd timer_fd(
      timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  if (!timer_fd.valid()) return util::ErrnoToStatus(errno, "timerfd_create");
  const int wakeup = wakeup_fd.get();
  const int timer = timer_fd.get();
  std::unique_ptr<EventLoop> loop(new EventLoop(
      std::move(epoll_fd), std::move(wakeup_fd), std::move(timer_fd)));
  for (auto [kind, fd] :
       {std::pair{Kind::kWakeup, wakeup}, std::pair{Kind::kTimer, timer}}) {
    auto entry = std::make_unique<Entry>();
    entry->kind = kind;
    entry->fd = fd;
    absl::StatusOr<uint64_t> token = loop->Register(std::move(entry));
    if (!token.ok()) return token.status();
  }
  return loop;
}

EventLoop::EventLoop(util::UniqueFd epoll_fd, util::UniqueFd wakeup_fd,
                     util::UniqueFd timer_fd)
    : epoll_fd_(std::move(epoll_fd)),
      wakeup_fd_(std::move(wakeup_fd)),
      timer_fd_(std::move(timer_fd)) {
  sigemptyset(&blocked_by_us_);
}

EventLoop::~EventLoop() {
  if (signal_fd_.valid()) {
    // Consume what is pending before unblocking, or a signal that arrived
    // after the last dispatch would take its default action (usually
    // terminating the process) as soon as it is unblocked.
    signalfd_siginfo info;
    while (read(signal_fd_.get(), &info, sizeof(info)) == sizeof(info)) {
    }
    signal_fd_.reset();
    pthread_sigmask(SIG_UNBLOCK, &blocked_by_us_, nullptr);
  }
}

absl::StatusOr<uint64_t> EventLoop::Register(std::unique_ptr<Entry> entry) {
  uint32_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
  } else {
    index = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[index];
  const uint64_t token = (uint64_t{slot.generation} << 32) | index;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = token;
  if (epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, entry->fd, &ev) != 0) {
    // The slot stays free.
    if (free_slots_.empty() || free_slots_.back() != index) {
      free_slots_.push_back(index);
    }
    return util::ErrnoToStatus(
        errno, absl::StrCat("epoll_ctl(ADD, fd ", entry->fd, ")"));
  }
  if (!free_slots_.empty() && free_slots_.back() == index) {
    free_slots_.pop_back();
  }
  entry->token = token;
  slot.entry = std::move(entry);
  return token;
}

EventLoop::Entry* EventLoop::Find(uint64_t token) const {
  const uint32_t index = static_cast<uint32_t>(token);
  if (index >= slots_.size()) return nullptr;
  const Slot& slot = slots_[index];
  if (slot.generation != static_cast<uint32_t>(token >> 32)) return nullptr;
  return slot.entry.get();
}

void EventLoop::Unregister(uint64_t token) {
  if (Find(token) == nullptr) return;
  Slot& slot = slots_[static_cast<uint32_t>(token)];
  // Fails only if the caller closed the descriptor already, which removed
  // it from the epoll set anyway.
  epoll_ctl(epoll_fd_.get(), EPOLL_CTL_DEL, slot.entry->fd, nullptr);
  if (dispatch_depth_ > 0) {
    retired_.push_back(std::move(slot.entry));
  } else {
    slot.entry.reset();
  }
  ++slot.generation;
  free_slots_.push_back(static_cast<uint32_t>(token));
}

absl::Status EventLoop::AddReader(int fd, std::function<void()> on_readable,
                                  absl::Mutex* held) {
  if (reader_tokens_.contains(fd)) {
    return absl::AlreadyExistsError(
        absl::StrCat("fd ", fd, " is already in the event loop"));
  }
  auto entry = std::make_unique<Entry>();
  entry->kind = Kind::kReader;
  entry->fd = fd;
  entry->held = held;
  entry->on_event = std::move(on_readable);
  absl::StatusOr<uint64_t> token = Register(std::move(entry));
  if (!token.ok()) return token.status();
  reader_tokens_[fd] = *token;
  return absl::OkStatus();
}

absl::Status EventLoop::RemoveFd(int fd) {
  auto it = reader_tokens_.find(fd);
  if (it == reader_tokens_.end()) {
    return absl::NotFoundError(
        absl::StrCat("fd ", fd, " is not in the event loop"));
  }
  Unregister(it->second);
  reader_tokens_.erase(it);
  return absl::OkStatus();
}

TimerId EventLoop::NewTimer(bool one_shot, int64_t period_ns,
                            std::function<void()> callback) {
  auto timer = std::make_shared<Timer>();
  timer->id = next_timer_id_++;
  timer->one_shot = one_shot;
  timer->period_ns = period_ns;
  timer->callback = std::move(callback);
  const TimerId id = timer->id;
  timers_.emplace(id, std::move(timer));
  return id;
}

absl::Status EventLoop::SetTimerFd(int64_t deadline_ns) {
  itimerspec spec{};
  // An all-zero it_value disarms; a deadline at or before the epoch of
  // CLOCK_MONOTONIC means "now", so it becomes 1 ns.
  if (deadline_ns != kDisarmed) {
    spec.it_value = ToTimespec(deadline_ns > 0 ? deadline_ns : 1);
  }
  // Also clears an expiry not read yet, so the timerfd is never read:
  // setting it is what acknowledges a wake-up.
  if (timerfd_settime(timer_fd_.get(), TFD_TIMER_ABSTIME, &spec, nullptr) !=
      0) {
    armed_ns_ = kDisarmed;
    return util::ErrnoToStatus(errno, "timerfd_settime(TFD_TIMER_ABSTIME)");
  }
  armed_ns_ = deadline_ns;
  return absl::OkStatus();
}

absl::Status EventLoop::Schedule(Timer& timer, int64_t deadline_ns) {
  if (in_timer_pass_) {
    // Due already: the next wake-up runs it (see the header), and the pass
    // re-arms the timerfd when it ends.
    if (deadline_ns <= pass_now_ns_) deadline_ns = pass_now_ns_ + 1;
    queue_.Schedule(&timer, deadline_ns);
    return absl::OkStatus();
  }
  queue_.Schedule(&timer, deadline_ns);
  // An earlier (or equal) alarm wakes the loop in time anyway.
  if (deadline_ns >= armed_ns_) return absl::OkStatus();
  return SetTimerFd(deadline_ns);
}

absl::StatusOr<TimerId> EventLoop::AddTimer(absl::Duration delay,
                                            TimerMode mode,
                                            std::function<void()> callback) {
  int64_t ns = absl::ToInt64Nanoseconds(delay);
  if (ns <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "timer delay must be positive, not ", absl::FormatDuration(delay)));
  }
  const bool periodic = mode == TimerMode::kPeriodic;
  const TimerId id =
      NewTimer(!periodic, periodic ? ns : 0, std::move(callback));
  if (absl::Status s = Schedule(*timers_.at(id), MonotonicNanos() + ns);
      !s.ok()) {
    CancelTimer(id).IgnoreError();
    return s;
  }
  return id;
}

absl::StatusOr<TimerId> EventLoop::AddAbsoluteTimer(
    std::function<void()> callback) {
  return NewTimer(false, 0, std::move(callback));
}

absl::Status EventLoop::ArmAt(TimerId id, int64_t monotonic_ns) {
  auto it = timers_.find(id);
  if (it == timers_.end()) {
    return absl::NotFoundError(absl::StrCat("no timer with id ", id));
  }
  Timer& timer = *it->second;
  // Once, at this deadline: a periodic timer stops repeating, as a timerfd
  // armed without an interval did.
  timer.period_ns = 0;
  return Schedule(timer, monotonic_ns);
}

absl::Status EventLoop::CancelTimer(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) {
    return absl::NotFoundError(absl::StrCat("no timer with id ", id));
  }
  // The timerfd stays armed: if this was the earliest deadline, the loop
  // wakes once for nothing and re-arms.
  queue_.Remove(it->second.get());
  timers_.erase(it);
  return absl::OkStatus();
}

int EventLoop::RunDueTimers() {
  const int64_t now = MonotonicNanos();
  in_timer_pass_ = true;
  pass_now_ns_ = now;
  int ran = 0;
  for (DeadlineQueue::Node* node = queue_.top();
       node != nullptr && node->deadline <= now; node = queue_.top()) {
    queue_.Pop();
    auto it = timers_.find(static_cast<Timer*>(node)->id);
    // The copy keeps the callback alive if it cancels its own timer.
    std::shared_ptr<Timer> timer;
    if (it->second->one_shot) {
      // Gone before the callback, so the id is invalid inside it.
      timer = std::move(it->second);
      timers_.erase(it);
    } else {
      timer = it->second;
      if (timer->period_ns > 0) {
        // The next period boundary after now: behind schedule, the
        // callback runs once for all the periods missed.
        const int64_t missed = (now - timer->deadline) / timer->period_ns;
        queue_.Schedule(timer.get(),
                        timer->deadline + (missed + 1) * timer->period_ns);
      }
    }
    timer->callback();
    ++ran;
  }
  in_timer_pass_ = false;
  // The timerfd fired (or the event is stale): set it for what is left,
  // which also clears its readiness.
  const DeadlineQueue::Node* next = queue_.top();
  // Fails only with a broken descriptor; the next event reports it again.
  SetTimerFd(next != nullptr ? next->deadline : kDisarmed).IgnoreError();
  return ran;
}

absl::Status EventLoop::AddSignals(std::initializer_list<int> signals,
                                   std::function<void(int)> callback) {
  sigset_t set;
  sigemptyset(&set);
  for (int signo : signals) {
    if (sigaddset(&set, signo) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("not a signal number: ", signo));
    }
  }
  sigset_t previous;
  if (int err = pthread_sigmask(SIG_BLOCK, &set, &previous); err != 0) {
    return util::ErrnoToStatus(err, "pthread_sigmask");
  }
  for (int signo : signals) {
    if (sigismember(&previous, signo) == 0) sigaddset(&blocked_by_us_, signo);
    // An ignored signal is discarded before it can reach the signalfd, and
    // shells start background jobs with SIGINT ignored: take it back to the
    // default (harmless while blocked) so `kill -INT` still stops us.
    struct sigaction current {};
    if (sigaction(signo, nullptr, &current) == 0 &&
        current.sa_handler == SIG_IGN) {
      signal(signo, SIG_DFL);
    }
  }
  // signalfd() with an existing descriptor replaces its mask in place.
  const int fd = signalfd(signal_fd_.get(), &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) return util::ErrnoToStatus(errno, "signalfd");
  if (!signal_fd_.valid()) {
    signal_fd_.reset(fd);
    auto entry = std::make_unique<Entry>();
    entry->kind = Kind::kSignal;
    entry->fd = fd;
    entry->on_signal = std::move(callback);
    absl::StatusOr<uint64_t> token = Register(std::move(entry));
    if (!token.ok()) return token.status();
    signal_token_ = *token;
  } else {
    Find(signal_token_)->on_signal = std::move(callback);
  }
  return absl::OkStatus();
}

int EventLoop::Dispatch(Entry& entry) {
  switch (entry.kind) {
    case Kind::kReader:
      entry.on_event();
      return 1;
    case Kind::kTimer:
      return RunDueTimers();
    case Kind::kSignal: {
      int ran = 0;
      signalfd_siginfo info;
      while (read(entry.fd, &info, sizeof(info)) == sizeof(info)) {
        entry.on_signal(static_cast<int>(info.ssi_signo));
        ++ran;
      }
      return ran;
    }
    case Kind::kWakeup: {
      uint64_t value;
      // Drains; Run() checks stop_. Drained before the callback, so a
      // Wake() from it (or from another thread meanwhile) is not lost.
      while (read(entry.fd, &value, sizeof(value)) == sizeof(value)) {
      }
      if (!on_wake_) return 0;
      on_wake_();
      return 1;
    }
  }
  return 0;
}

absl::StatusOr<int> EventLoop::RunOnce(absl::Duration timeout)
    ABSL_NO_THREAD_SAFETY_ANALYSIS {
  int timeout_ms;
  if (timeout == absl::InfiniteDuration()) {
    timeout_ms = -1;
  } else if (timeout <= absl::ZeroDuration()) {
    timeout_ms = 0;
  } else {
    // Round up: a 0.5 ms wait must not become a busy poll.
    timeout_ms = static_cast<int>(
        absl::ToInt64Milliseconds(absl::Ceil(timeout, absl::Milliseconds(1))));
  }
  const int n =
      epoll_wait(epoll_fd_.get(), events_.data(), kMaxEvents, timeout_ms);
  if (n < 0) {
    if (errno == EINTR) return 0;
    return util::ErrnoToStatus(errno, "epoll_wait");
  }
  int dispatched = 0;
  ++dispatch_depth_;
  absl::Mutex* held = nullptr;  // Locked by this batch (see "Locks").
  for (int i = 0; i < n; ++i) {
    Entry* entry = Find(events_[i].data.u64);
    if (entry == nullptr) continue;  // Removed earlier in this batch.
    // A removed entry is retired, not destroyed, until the batch ends, so
    // the pointer stays valid even if the callback removes itself.
    absl::Mutex* wants = entry->kind == Kind::kReader ? entry->held : nullptr;
    if (wants != held) {
      if (held != nullptr) held->Unlock();
      held = wants;
      if (held != nullptr) held->Lock();
    }
    dispatched += Dispatch(*entry);
  }
  if (held != nullptr) held->Unlock();
  if (--dispatch_depth_ == 0) retired_.clear();
  return dispatched;
}

absl::Status EventLoop::Run() {
  while (!stop_.exchange(false)) {
    absl::StatusOr<int> n = RunOnce(absl::InfiniteDuration());
    if (!n.ok()) return n.status();
  }
  return absl::OkStatus();
}

void EventLoop::Wake() {
  const uint64_t one = 1;
  // A full counter (EAGAIN) means a wakeup is pending anyway.
  [[maybe_unused]] ssize_t n = write(wakeup_fd_.get(), &one, sizeof(one));
}

void EventLoop::Stop() {
  stop_.store(true);
  const uint64_t one = 1;
  // Wakes a Run() blocked in epoll_wait on another thread. A full counter
  // (EAGAIN) means a wakeup is pending anyway.
  [[maybe_unused]] ssize_t n = write(wakeup_fd_.get(), &one, sizeof(one));
}

}  // namespace mcast::net
