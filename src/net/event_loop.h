#ifndef MCAST_NET_EVENT_LOOP_H_
#define MCAST_NET_EVENT_LOOP_H_

// One epoll loop drives every socket, timer and signal of a tool, so a
// single thread can run many probes at once without per-probe threads.
//
//   * Readers: level-triggered EPOLLIN callbacks on any descriptor (the
//     caller keeps owning the descriptor).
//   * Timers: all of them in one deadline queue (an indexed binary heap,
//     DeadlineQueue) on one timerfd, on CLOCK_MONOTONIC (the clock of
//     MonotonicNanos()), armed to the earliest deadline. Relative one-shot
//     and periodic timers, and absolute timers for pacing: a sender arms
//     the exact deadline of its next packet with ArmAt(), so pacing errors
//     do not accumulate. Arming, re-arming and cancelling cost O(log n) and
//     no allocation, and the loop owns one descriptor however many timers
//     there are (a thousand senders used to cost a thousand timerfds, and
//     each packet an epoll_wait, a timerfd read and a timerfd_settime). On
//     a wake-up every due timer runs, earliest deadline first (equal
//     deadlines in arming order), and the timerfd is re-armed once, for the
//     next deadline, at the end.
//   * Signals: signalfd, so SIGINT/SIGTERM/SIGHUP are handled as ordinary
//     events in the loop instead of in async-signal context.
//
//   * Locks: a reader may name a mutex the loop holds while its callback
//     runs (a front end whose other threads read the probes under it).
//     Consecutive such readers of one epoll batch share one acquisition: at
//     a thousand receivers, a Lock/Unlock pair per callback was 2.5 % of
//     the exporter's CPU. It is released before any other event (timers,
//     signals, readers without it or with another mutex) and at the end of
//     the batch, so those callbacks may take it themselves.
//
// Callbacks may add and remove readers and timers (including their own)
// while the loop dispatches: events whose registration went away during the
// same epoll batch are dropped, even when the descriptor number has been
// reused meanwhile; a cancelled timer never fires afterwards, even when it
// was due in the same wake-up. A timer armed during a wake-up for a
// deadline that has already passed runs in the next wake-up (at once), not
// in the current one, so a callback that keeps re-arming itself late cannot
// starve the rest of the loop. Timer ids are never reused.
//
//   * Wake-ups from other threads: Wake() makes the loop run the callback
//     set with SetOnWake() in its next batch, on the loop thread, through
//     the eventfd Stop() uses (no descriptor of its own). Several Wake()s
//     before the loop gets to it run the callback once; a callback that
//     calls Wake() again runs again in the next batch, after the events
//     that were ready meanwhile (a long job done a piece per batch).
//
// Not thread-safe, except Stop() and Wake(), which may be called from any
// thread.

#include <sys/epoll.h>

#include <array>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "net/deadline_queue.h"
#include "util/unique_fd.h"

namespace mcast::net {

using TimerId = uint64_t;

enum class TimerMode {
  kOneShot,   // Fires once, then is removed (its id becomes invalid).
  kPeriodic,  // Fires every period until cancelled.
};

class EventLoop {
 public:
  static absl::StatusOr<std::unique_ptr<EventLoop>> Create();

  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  // Closes the loop's own descriptors (timerfd, signalfd) and unblocks the
  // signals it blocked. Reader descriptors belong to the caller.
  ~EventLoop();

  // Calls `on_readable` whenever `fd` is readable, with `held` locked when
  // it is set (see "Locks" above). AlreadyExists if `fd` is registered
  // already.
  absl::Status AddReader(int fd, std::function<void()> on_readable,
                         absl::Mutex* held = nullptr);
  // Forgets a reader. NotFound if `fd` is not a registered reader.
  absl::Status RemoveFd(int fd);

  // A relative timer: first fires after `delay` (must be > 0), then every
  // `delay` again in kPeriodic mode. When a periodic timer falls behind, the
  // callback runs once per wakeup, not once per missed period.
  absl::StatusOr<TimerId> AddTimer(absl::Duration delay, TimerMode mode,
                                   std::function<void()> callback);
  // A disarmed timer for absolute deadlines; arm it with ArmAt(). It stays
  // registered after firing, ready to be armed again, until cancelled.
  absl::StatusOr<TimerId> AddAbsoluteTimer(std::function<void()> callback);
  // Fires the timer once at `monotonic_ns` (CLOCK_MONOTONIC, as
  // MonotonicNanos()); a deadline in the past fires at once. Replaces any
  // earlier deadline. Works on any timer id, but is meant for absolute
  // timers. NotFound for an unknown id.
  absl::Status ArmAt(TimerId id, int64_t monotonic_ns);
  // NotFound for an unknown (or already fired one-shot) id.
  absl::Status CancelTimer(TimerId id);

  // Blocks `signals` in the calling thread and delivers them through
  // `callback(signo)`. Call it before starting other threads, or block the
  // signals there too, or the kernel may deliver them to another thread.
  // Calling it again replaces the set and the callback.
  absl::Status AddSignals(std::initializer_list<int> signals,
                          std::function<void(int)> callback);

  // Dispatches events until Stop(). Returns the first epoll error, if any.
  absl::Status Run();
  // Waits at most `timeout` (absl::ZeroDuration() = poll,
  // absl::InfiniteDuration() = wait) and dispatches one batch of events.
  // Returns how many callbacks ran.
  absl::StatusOr<int> RunOnce(absl::Duration timeout);
  // Makes Run() return after the current batch (or the next Run() return
  // at once, when called while not running). Safe from any thread and from
  // callbacks.
  void Stop();
  // The callback Wake() runs on the loop thread, with no lock held; set it
  // before Run() (not thread-safe). Null: Wake() only wakes.
  void SetOnWake(std::function<void()> callback) {
    on_wake_ = std::move(callback);
  }
  // Makes the loop run the SetOnWake() callback in its next batch. Safe
  // from any thread and from callbacks.
  void Wake();

 private:
  enum class Kind { kReader, kTimer, kSignal, kWakeup };
  struct Entry {
    Kind kind;
    int fd;  // The descriptor watched.
    uint64_t token = 0;
    absl::Mutex* held = nullptr;  // Readers: locked around on_event.
    std::function<void()> on_event;
    std::function<void(int)> on_signal;
  };
  // A registration's place: the token in epoll_event.data.u64 is the slot
  // index and its generation, so a ready event finds its entry by index,
  // and an event for a removed registration finds a newer generation.
  struct Slot {
    std::unique_ptr<Entry> entry;
    uint32_t generation = 0;
  };
  struct Timer : DeadlineQueue::Node {
    TimerId id = 0;
    bool one_shot = false;
    // > 0: re-queued one period after each deadline (AddTimer kPeriodic).
    int64_t period_ns = 0;
    std::function<void()> callback;
  };
  // The timerfd's state when nothing is armed.
  static constexpr int64_t kDisarmed = INT64_MAX;

  EventLoop(util::UniqueFd epoll_fd, util::UniqueFd wakeup_fd,
            util::UniqueFd timer_fd);

  absl::StatusOr<uint64_t> Register(std::unique_ptr<Entry> entry);
  void Unregister(uint64_t token);
  // The live entry of `token`, or nullptr.
  Entry* Find(uint64_t token) const;
  TimerId NewTimer(bool one_shot, int64_t period_ns,
                   std::function<void()> callback);
  // Queues `timer` at `deadline_ns` and makes sure the timerfd wakes the
  // loop in time for it.
  absl::Status Schedule(Timer& timer, int64_t deadline_ns);
  // Sets the timerfd to `deadline_ns` (kDisarmed: disarms it).
  absl::Status SetTimerFd(int64_t deadline_ns);
  // Runs the due timers; returns how many ran.
  int RunDueTimers();
  // Returns how many callbacks ran.
  int Dispatch(Entry& entry);

  static constexpr int kMaxEvents = 64;

  util::UniqueFd epoll_fd_;   // Declared first: closed last.
  util::UniqueFd wakeup_fd_;  // eventfd written by Stop().
  util::UniqueFd timer_fd_;   // The one timerfd of every timer.
  util::UniqueFd signal_fd_;
  uint64_t signal_token_ = 0;
  sigset_t blocked_by_us_;
  std::atomic<bool> stop_{false};
  std::function<void()> on_wake_;

  // epoll_event.data.u64 carries a registration token (slot index and
  // generation) that a slot reuses only after 2^32 registrations, so a
  // stale event for a removed (and maybe reused) descriptor finds no entry
  // instead of the wrong one.
  TimerId next_timer_id_ = 1;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;
  // Entries removed while RunOnce dispatches: kept until the batch ends, so
  // a callback that removes its own registration keeps running.
  std::vector<std::unique_ptr<Entry>> retired_;
  int dispatch_depth_ = 0;  // RunOnce calls dispatching (nested ones too).
  absl::flat_hash_map<int, uint64_t> reader_tokens_;  // fd -> token
  // Shared so a callback that cancels its own timer does not destroy the
  // callback while it runs: RunDueTimers() holds a copy meanwhile.
  absl::flat_hash_map<TimerId, std::shared_ptr<Timer>> timers_;
  DeadlineQueue queue_;
  // What the timerfd is armed to (kDisarmed: nothing). It may be earlier
  // than the queue's first deadline (that timer was cancelled or moved):
  // the wake-up then finds nothing due and re-arms, which is cheaper than
  // a timerfd_settime for every cancel.
  int64_t armed_ns_ = kDisarmed;
  // While RunDueTimers() runs: the instant it treats as now, and the
  // timerfd is re-armed only when it ends.
  bool in_timer_pass_ = false;
  int64_t pass_now_ns_ = 0;
  std::array<epoll_event, kMaxEvents> events_{};
};

}  // namespace mcast::net

#endif  // MCAST_NET_EVENT_LOOP_H_
