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
  const int wakeup = wakeup_fd.get();
  std::unique_ptr<EventLoop> loop(
      new EventLoop(std::move(epoll_fd), std::move(wakeup_fd)));
  auto entry = std::make_shared<Entry>();
  entry->kind = Kind::kWakeup;
  entry->fd = wakeup;
  absl::StatusOr<uint64_t> token = loop->Register(std::move(entry));
  if (!token.ok()) return token.status();
  return loop;
}

EventLoop::EventLoop(util::UniqueFd epoll_fd, util::UniqueFd wakeup_fd)
    : epoll_fd_(std::move(epoll_fd)), wakeup_fd_(std::move(wakeup_fd)) {
  sigemptyset(&blocked_by_us_);
}

EventLoop::~EventLoop() {
  // The timers close with entries_, the rest with their members.
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

absl::StatusOr<uint64_t> EventLoop::Register(std::shared_ptr<Entry> entry) {
  const uint64_t token = next_token_++;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = token;
  if (epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, entry->fd, &ev) != 0) {
    return util::ErrnoToStatus(
        errno, absl::StrCat("epoll_ctl(ADD, fd ", entry->fd, ")"));
  }
  entry->token = token;
  entries_[token] = std::move(entry);
  return token;
}

void EventLoop::Unregister(uint64_t token) {
  auto it = entries_.find(token);
  if (it == entries_.end()) return;
  // Fails only if the caller closed the descriptor already, which removed
  // it from the epoll set anyway.
  epoll_ctl(epoll_fd_.get(), EPOLL_CTL_DEL, it->second->fd, nullptr);
  // Now, not when the last copy of the entry goes: Dispatch() holds one
  // while a one-shot timer's callback runs.
  it->second->owned.reset();
  entries_.erase(it);
}

absl::Status EventLoop::AddReader(int fd, std::function<void()> on_readable) {
  if (reader_tokens_.contains(fd)) {
    return absl::AlreadyExistsError(
        absl::StrCat("fd ", fd, " is already in the event loop"));
  }
  auto entry = std::make_shared<Entry>();
  entry->kind = Kind::kReader;
  entry->fd = fd;
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

absl::StatusOr<TimerId> EventLoop::NewTimer(TimerMode mode,
                                            std::function<void()> callback,
                                            const itimerspec* initial) {
  util::UniqueFd fd(
      timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  if (!fd.valid()) return util::ErrnoToStatus(errno, "timerfd_create");
  if (initial != nullptr &&
      timerfd_settime(fd.get(), 0, initial, nullptr) != 0) {
    return util::ErrnoToStatus(errno, "timerfd_settime");
  }
  auto entry = std::make_shared<Entry>();
  entry->kind = Kind::kTimer;
  entry->fd = fd.get();
  entry->owned = std::move(fd);
  entry->timer_id = next_timer_id_++;
  entry->mode = mode;
  entry->on_event = std::move(callback);
  const TimerId id = entry->timer_id;
  // On failure the entry, and with it the timerfd, is gone.
  absl::StatusOr<uint64_t> token = Register(std::move(entry));
  if (!token.ok()) return token.status();
  timer_tokens_[id] = *token;
  return id;
}

absl::StatusOr<TimerId> EventLoop::AddTimer(absl::Duration delay,
                                            TimerMode mode,
                                            std::function<void()> callback) {
  int64_t ns = absl::ToInt64Nanoseconds(delay);
  if (ns <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "timer delay must be positive, not ", absl::FormatDuration(delay)));
  }
  itimerspec spec{};
  spec.it_value = ToTimespec(ns);
  if (mode == TimerMode::kPeriodic) spec.it_interval = spec.it_value;
  return NewTimer(mode, std::move(callback), &spec);
}

absl::StatusOr<TimerId> EventLoop::AddAbsoluteTimer(
    std::function<void()> callback) {
  // kPeriodic here only means "stays registered after firing".
  return NewTimer(TimerMode::kPeriodic, std::move(callback), nullptr);
}

absl::Status EventLoop::ArmAt(TimerId id, int64_t monotonic_ns) {
  auto it = timer_tokens_.find(id);
  if (it == timer_tokens_.end()) {
    return absl::NotFoundError(absl::StrCat("no timer with id ", id));
  }
  const Entry& entry = *entries_.at(it->second);
  itimerspec spec{};
  // A zero it_value would disarm the timer: a deadline at or before the
  // epoch of CLOCK_MONOTONIC means "now", so use 1 ns.
  spec.it_value = ToTimespec(monotonic_ns > 0 ? monotonic_ns : 1);
  if (timerfd_settime(entry.fd, TFD_TIMER_ABSTIME, &spec, nullptr) != 0) {
    return util::ErrnoToStatus(errno, "timerfd_settime(TFD_TIMER_ABSTIME)");
  }
  return absl::OkStatus();
}

absl::Status EventLoop::CancelTimer(TimerId id) {
  auto it = timer_tokens_.find(id);
  if (it == timer_tokens_.end()) {
    return absl::NotFoundError(absl::StrCat("no timer with id ", id));
  }
  Unregister(it->second);
  timer_tokens_.erase(it);
  return absl::OkStatus();
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
    auto entry = std::make_shared<Entry>();
    entry->kind = Kind::kSignal;
    entry->fd = fd;
    entry->on_signal = std::move(callback);
    absl::StatusOr<uint64_t> token = Register(std::move(entry));
    if (!token.ok()) return token.status();
    signal_token_ = *token;
  } else {
    entries_.at(signal_token_)->on_signal = std::move(callback);
  }
  return absl::OkStatus();
}

void EventLoop::Dispatch(const std::shared_ptr<Entry>& entry) {
  switch (entry->kind) {
    case Kind::kReader:
      entry->on_event();
      return;
    case Kind::kTimer: {
      uint64_t expirations = 0;
      // EAGAIN: re-armed or cancelled since epoll reported it.
      if (read(entry->fd, &expirations, sizeof(expirations)) !=
          sizeof(expirations)) {
        return;
      }
      if (entry->mode == TimerMode::kOneShot) {
        // Removed before the callback so the callback may add timers
        // (even one that reuses this descriptor number).
        timer_tokens_.erase(entry->timer_id);
        Unregister(entry->token);
      }
      entry->on_event();
      return;
    }
    case Kind::kSignal: {
      signalfd_siginfo info;
      while (read(entry->fd, &info, sizeof(info)) == sizeof(info)) {
        entry->on_signal(static_cast<int>(info.ssi_signo));
      }
      return;
    }
    case Kind::kWakeup: {
      uint64_t value;
      // Only drains; Run() checks stop_.
      while (read(entry->fd, &value, sizeof(value)) == sizeof(value)) {
      }
      return;
    }
  }
}

absl::StatusOr<int> EventLoop::RunOnce(absl::Duration timeout) {
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
  for (int i = 0; i < n; ++i) {
    auto it = entries_.find(events_[i].data.u64);
    if (it == entries_.end()) continue;  // Removed earlier in this batch.
    // The copy keeps the entry (and its callback) alive even if the
    // callback removes its own registration.
    std::shared_ptr<Entry> entry = it->second;
    Dispatch(entry);
    if (entry->kind != Kind::kWakeup) ++dispatched;
  }
  return dispatched;
}

absl::Status EventLoop::Run() {
  while (!stop_.exchange(false)) {
    absl::StatusOr<int> n = RunOnce(absl::InfiniteDuration());
    if (!n.ok()) return n.status();
  }
  return absl::OkStatus();
}

void EventLoop::Stop() {
  stop_.store(true);
  const uint64_t one = 1;
  // Wakes a Run() blocked in epoll_wait on another thread. A full counter
  // (EAGAIN) means a wakeup is pending anyway.
  [[maybe_unused]] ssize_t n = write(wakeup_fd_.get(), &one, sizeof(one));
}

}  // namespace mcast::net
