#include "net/event_loop.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "net/clock.h"

namespace mcast::net {
namespace {

// Upper bound for "eventually": generous, only reached when a test fails.
constexpr absl::Duration kPatience = absl::Seconds(5);

class Pipe {
 public:
  Pipe() { EXPECT_EQ(pipe2(fds_, O_NONBLOCK | O_CLOEXEC), 0); }
  ~Pipe() { Close(); }
  void Close() {
    for (int& fd : fds_) {
      if (fd >= 0) close(fd);
      fd = -1;
    }
  }
  int reader() const { return fds_[0]; }
  void Poke() { ASSERT_EQ(write(fds_[1], "x", 1), 1); }
  void Drain() {
    char buf[64];
    while (read(fds_[0], buf, sizeof(buf)) > 0) {
    }
  }

 private:
  int fds_[2] = {-1, -1};
};

std::unique_ptr<EventLoop> NewLoop() {
  absl::StatusOr<std::unique_ptr<EventLoop>> loop = EventLoop::Create();
  EXPECT_TRUE(loop.ok()) << loop.status();
  return *std::move(loop);
}

// Descriptors this process has open now.
int OpenFds() {
  int n = 0;
  for ([[maybe_unused]] const auto& e :
       std::filesystem::directory_iterator("/proc/self/fd")) {
    ++n;
  }
  return n;
}

// Runs the loop until `done` or kPatience has passed.
template <typename Pred>
bool RunUntil(EventLoop& loop, Pred done) {
  const absl::Time deadline = absl::Now() + kPatience;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::StatusOr<int> n = loop.RunOnce(absl::Milliseconds(50));
    if (!n.ok()) return false;
  }
  return true;
}

TEST(EventLoopTest, ReaderRunsWhenReadable) {
  auto loop = NewLoop();
  Pipe p;
  int calls = 0;
  ASSERT_TRUE(loop->AddReader(p.reader(),
                              [&] {
                                ++calls;
                                p.Drain();
                              })
                  .ok());
  absl::StatusOr<int> n = loop->RunOnce(absl::ZeroDuration());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);
  p.Poke();
  n = loop->RunOnce(kPatience);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(calls, 1);
}

TEST(EventLoopTest, DuplicateAndUnknownFds) {
  auto loop = NewLoop();
  Pipe p;
  ASSERT_TRUE(loop->AddReader(p.reader(), [] {}).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(loop->AddReader(p.reader(), [] {})));
  EXPECT_TRUE(loop->RemoveFd(p.reader()).ok());
  EXPECT_TRUE(absl::IsNotFound(loop->RemoveFd(p.reader())));
}

TEST(EventLoopTest, EventfdReaderAndRemovalFromItsOwnCallback) {
  auto loop = NewLoop();
  const int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  ASSERT_GE(efd, 0);
  int calls = 0;
  ASSERT_TRUE(loop->AddReader(efd,
                              [&] {
                                ++calls;
                                // Not drained: only the removal stops further
                                // calls.
                                EXPECT_TRUE(loop->RemoveFd(efd).ok());
                              })
                  .ok());
  const uint64_t one = 1;
  ASSERT_EQ(write(efd, &one, sizeof(one)), 8);
  ASSERT_TRUE(loop->RunOnce(kPatience).ok());
  ASSERT_TRUE(loop->RunOnce(absl::Milliseconds(10)).ok());
  EXPECT_EQ(calls, 1);
  close(efd);
}

// Both pipes are readable in the same epoll batch; whichever callback runs
// first removes the other, closes it and registers a new pipe that reuses
// the closed descriptor number. The stale event must not reach the new
// registration, and the removed callback must not run.
TEST(EventLoopTest, RemovalOfAnotherFdInTheSameBatch) {
  auto loop = NewLoop();
  Pipe a, b;
  std::unique_ptr<Pipe> replacement;
  int first_calls = 0, replacement_calls = 0;
  auto remove_other = [&](Pipe& other) {
    ++first_calls;
    EXPECT_TRUE(loop->RemoveFd(other.reader()).ok());
    other.Close();
    replacement = std::make_unique<Pipe>();
    EXPECT_TRUE(
        loop->AddReader(replacement->reader(), [&] { ++replacement_calls; })
            .ok());
  };
  ASSERT_TRUE(loop->AddReader(a.reader(), [&] { remove_other(b); }).ok());
  ASSERT_TRUE(loop->AddReader(b.reader(), [&] { remove_other(a); }).ok());
  a.Poke();
  b.Poke();
  absl::StatusOr<int> n = loop->RunOnce(kPatience);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(first_calls, 1);
  EXPECT_EQ(replacement_calls, 0);
}

// Readers that name a mutex run with it held (one acquisition for those
// next to each other in a batch); every other callback of the same batch
// runs without it and may take it itself, and it is free after RunOnce.
TEST(EventLoopTest, HeldMutexAroundItsReadersOnly) {
  auto loop = NewLoop();
  absl::Mutex mu;
  Pipe a, b, c, d;
  int held_calls = 0, free_calls = 0, removed_calls = 0;
  auto held = [&] {
    mu.AssertHeld();
    ++held_calls;
  };
  auto take_it = [&] {
    // Not reentrant: fails if the loop still held it for the reader before.
    EXPECT_TRUE(mu.TryLock());
    mu.Unlock();
    ++free_calls;
  };
  ASSERT_TRUE(loop->AddReader(a.reader(), held, &mu).ok());
  ASSERT_TRUE(loop->AddReader(b.reader(), held, &mu).ok());
  ASSERT_TRUE(loop->AddReader(c.reader(), take_it).ok());
  // Removes itself under the lock: its slot may be reused by the next
  // registration, and the callback keeps running until it returns.
  ASSERT_TRUE(loop->AddReader(
                      d.reader(),
                      [&] {
                        mu.AssertHeld();
                        EXPECT_TRUE(loop->RemoveFd(d.reader()).ok());
                        ++removed_calls;
                      },
                      &mu)
                  .ok());
  absl::StatusOr<TimerId> t =
      loop->AddTimer(absl::Microseconds(1), TimerMode::kOneShot, take_it);
  ASSERT_TRUE(t.ok());
  absl::SleepFor(absl::Milliseconds(2));
  a.Poke();
  b.Poke();
  c.Poke();
  d.Poke();
  int ran = 0;
  for (int i = 0; i < 10 && ran < 5; ++i) {
    absl::StatusOr<int> n = loop->RunOnce(kPatience);
    ASSERT_TRUE(n.ok());
    ran += *n;
    a.Drain();
    b.Drain();
    c.Drain();
  }
  EXPECT_EQ(held_calls, 2);
  EXPECT_EQ(free_calls, 2);
  EXPECT_EQ(removed_calls, 1);
  EXPECT_TRUE(mu.TryLock());
  mu.Unlock();
}

TEST(EventLoopTest, OneShotTimerFiresOnceAndIsGone) {
  auto loop = NewLoop();
  int fired = 0;
  absl::StatusOr<TimerId> id = loop->AddTimer(
      absl::Milliseconds(1), TimerMode::kOneShot, [&] { ++fired; });
  ASSERT_TRUE(id.ok()) << id.status();
  ASSERT_TRUE(RunUntil(*loop, [&] { return fired > 0; }));
  ASSERT_TRUE(loop->RunOnce(absl::Milliseconds(10)).ok());
  EXPECT_EQ(fired, 1);
  EXPECT_TRUE(absl::IsNotFound(loop->CancelTimer(*id)));
}

TEST(EventLoopTest, PeriodicTimerCancelsItself) {
  auto loop = NewLoop();
  int fired = 0;
  TimerId id = 0;
  absl::StatusOr<TimerId> added =
      loop->AddTimer(absl::Milliseconds(1), TimerMode::kPeriodic, [&] {
        if (++fired == 3) {
          EXPECT_TRUE(loop->CancelTimer(id).ok());
        }
      });
  ASSERT_TRUE(added.ok());
  id = *added;
  ASSERT_TRUE(RunUntil(*loop, [&] { return fired >= 3; }));
  ASSERT_TRUE(loop->RunOnce(absl::Milliseconds(10)).ok());
  EXPECT_EQ(fired, 3);
}

TEST(EventLoopTest, CancelledTimerDoesNotFire) {
  auto loop = NewLoop();
  bool fired = false;
  absl::StatusOr<TimerId> id = loop->AddTimer(
      absl::Milliseconds(1), TimerMode::kOneShot, [&] { fired = true; });
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(loop->CancelTimer(*id).ok());
  ASSERT_TRUE(loop->RunOnce(absl::Milliseconds(10)).ok());
  EXPECT_FALSE(fired);
  EXPECT_TRUE(absl::IsInvalidArgument(
      loop->AddTimer(absl::ZeroDuration(), TimerMode::kOneShot, [] {})
          .status()));
}

TEST(EventLoopTest, AbsoluteTimerFiresNotBeforeEachDeadline) {
  auto loop = NewLoop();
  std::vector<int64_t> deadlines, fired_at;
  TimerId id = 0;
  absl::StatusOr<TimerId> added = loop->AddAbsoluteTimer([&] {
    fired_at.push_back(MonotonicNanos());
    if (fired_at.size() < 3) {
      deadlines.push_back(deadlines.back() + 1'000'000);
      EXPECT_TRUE(loop->ArmAt(id, deadlines.back()).ok());
    }
  });
  ASSERT_TRUE(added.ok());
  id = *added;
  // Disarmed until armed.
  ASSERT_TRUE(loop->RunOnce(absl::Milliseconds(5)).ok());
  EXPECT_TRUE(fired_at.empty());
  deadlines.push_back(MonotonicNanos() + 2'000'000);
  ASSERT_TRUE(loop->ArmAt(id, deadlines.back()).ok());
  ASSERT_TRUE(RunUntil(*loop, [&] { return fired_at.size() == 3; }));
  for (size_t i = 0; i < 3; ++i) EXPECT_GE(fired_at[i], deadlines[i]);
  // Still registered after firing: can be cancelled.
  EXPECT_TRUE(loop->CancelTimer(id).ok());
  EXPECT_TRUE(absl::IsNotFound(loop->ArmAt(id, 0)));
}

TEST(EventLoopTest, DeadlineInThePastFiresAtOnce) {
  auto loop = NewLoop();
  int fired = 0;
  absl::StatusOr<TimerId> id = loop->AddAbsoluteTimer([&] { ++fired; });
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(loop->ArmAt(*id, MonotonicNanos() - 1'000'000'000).ok());
  ASSERT_TRUE(RunUntil(*loop, [&] { return fired == 1; }));
  ASSERT_TRUE(loop->ArmAt(*id, 0).ok());
  ASSERT_TRUE(RunUntil(*loop, [&] { return fired == 2; }));
}

// Every timer shares the loop's one timerfd: a loop costs the same
// descriptors with 5000 timers (armed or not) as with none.
TEST(EventLoopTest, OneDescriptorForAnyNumberOfTimers) {
  const int before = OpenFds();
  auto loop = NewLoop();
  const int with_loop = OpenFds();
  // epoll, the wakeup eventfd, the timerfd.
  EXPECT_EQ(with_loop - before, 3);
  std::vector<TimerId> ids;
  for (int i = 0; i < 5000; ++i) {
    absl::StatusOr<TimerId> id = loop->AddAbsoluteTimer([] {});
    ASSERT_TRUE(id.ok()) << id.status();
    ids.push_back(*id);
    ASSERT_TRUE(loop->ArmAt(*id, MonotonicNanos() + 3'600'000'000'000).ok());
  }
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(
        loop->AddTimer(absl::Hours(1), TimerMode::kPeriodic, [] {}).ok());
  }
  EXPECT_EQ(OpenFds(), with_loop);
  // Ids are never reused, not even after a cancel.
  ASSERT_TRUE(loop->CancelTimer(ids.back()).ok());
  absl::StatusOr<TimerId> next = loop->AddAbsoluteTimer([] {});
  ASSERT_TRUE(next.ok());
  EXPECT_GT(*next, ids.back() + 100);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
}

// 5000 absolute timers armed in a scrambled order, many sharing a deadline:
// each fires exactly once, never before its deadline, in deadline order
// (equal deadlines in arming order), and they need far fewer wake-ups than
// timers.
TEST(EventLoopTest, ManyAbsoluteTimersFireOnceInDeadlineOrder) {
  constexpr int kTimers = 5000;
  auto loop = NewLoop();
  struct Fired {
    int index;
    int64_t at;
  };
  std::vector<Fired> fired;
  fired.reserve(kTimers);
  std::vector<int64_t> deadline(kTimers);
  const int64_t base = MonotonicNanos() + 20'000'000;
  for (int i = 0; i < kTimers; ++i) {
    absl::StatusOr<TimerId> id = loop->AddAbsoluteTimer([&, i] {
      fired.push_back({i, MonotonicNanos()});
    });
    ASSERT_TRUE(id.ok());
    // 500 distinct deadlines 40 us apart, 10 timers each, armed scrambled.
    deadline[i] = base + static_cast<int64_t>((i * 7919) % 500) * 40'000;
    ASSERT_TRUE(loop->ArmAt(*id, deadline[i]).ok());
  }
  int wakeups = 0;
  ASSERT_TRUE(RunUntil(*loop, [&] {
    ++wakeups;
    return fired.size() >= kTimers;
  }));
  ASSERT_TRUE(loop->RunOnce(absl::Milliseconds(10)).ok());
  ASSERT_EQ(fired.size(), static_cast<size_t>(kTimers));
  std::vector<int> times_fired(kTimers, 0);
  for (size_t k = 0; k < fired.size(); ++k) {
    const int i = fired[k].index;
    ++times_fired[i];
    EXPECT_GE(fired[k].at, deadline[i]) << "timer " << i;
    if (k > 0) {
      const int prev = fired[k - 1].index;
      ASSERT_LE(deadline[prev], deadline[i]) << "timer " << i;
      if (deadline[prev] == deadline[i]) {
        ASSERT_LT(prev, i);
      }
    }
  }
  EXPECT_EQ(std::count(times_fired.begin(), times_fired.end(), 1), kTimers);
  EXPECT_LT(wakeups, kTimers / 2);
}

// Timers due in the same wake-up: the first to run cancels the others,
// which then never run, and cancelling a fired one-shot is NotFound.
TEST(EventLoopTest, CancelDuringDispatchOfTheSameWakeup) {
  auto loop = NewLoop();
  std::vector<TimerId> ids(4);
  std::vector<int> calls(4, 0);
  for (int i = 0; i < 4; ++i) {
    absl::StatusOr<TimerId> id = loop->AddAbsoluteTimer([&, i] {
      ++calls[i];
      if (i == 0) {
        EXPECT_TRUE(loop->CancelTimer(ids[1]).ok());
        EXPECT_TRUE(loop->CancelTimer(ids[3]).ok());
      }
    });
    ASSERT_TRUE(id.ok());
    ids[i] = *id;
  }
  const int64_t past = MonotonicNanos() - 1'000'000;
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(loop->ArmAt(ids[i], past).ok());
  absl::StatusOr<int> n = loop->RunOnce(kPatience);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  ASSERT_TRUE(loop->RunOnce(absl::Milliseconds(10)).ok());
  EXPECT_EQ(calls, (std::vector<int>{1, 0, 1, 0}));
  EXPECT_TRUE(absl::IsNotFound(loop->ArmAt(ids[1], 0)));
}

// A timer that re-arms itself from its callback: a past deadline runs in
// the next wake-up (one run per wake-up, the loop is not starved), a
// future one not before it.
TEST(EventLoopTest, TimerReArmsItselfDuringDispatch) {
  auto loop = NewLoop();
  int calls = 0;
  int64_t future_deadline = 0, fired_at = 0;
  TimerId id = 0;
  absl::StatusOr<TimerId> added = loop->AddAbsoluteTimer([&] {
    ++calls;
    if (calls < 5) {
      EXPECT_TRUE(loop->ArmAt(id, 0).ok());  // Long past.
    } else if (calls == 5) {
      future_deadline = MonotonicNanos() + 3'000'000;
      EXPECT_TRUE(loop->ArmAt(id, future_deadline).ok());
    } else {
      fired_at = MonotonicNanos();
    }
  });
  ASSERT_TRUE(added.ok());
  id = *added;
  ASSERT_TRUE(loop->ArmAt(id, 0).ok());
  for (int wakeup = 1; wakeup <= 5; ++wakeup) {
    absl::StatusOr<int> n = loop->RunOnce(kPatience);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, 1) << "wake-up " << wakeup;
    EXPECT_EQ(calls, wakeup);
  }
  ASSERT_TRUE(RunUntil(*loop, [&] { return calls == 6; }));
  EXPECT_GE(fired_at, future_deadline);
  ASSERT_TRUE(loop->RunOnce(absl::Milliseconds(10)).ok());
  EXPECT_EQ(calls, 6);
}

// Another timer's deadline is not delayed by the cancelled or moved
// earliest one, which leaves the timerfd set too early.
TEST(EventLoopTest, CancelledEarliestDoesNotDelayTheNext) {
  auto loop = NewLoop();
  absl::StatusOr<TimerId> early = loop->AddAbsoluteTimer([] { FAIL(); });
  int64_t fired_at = 0;
  absl::StatusOr<TimerId> late =
      loop->AddAbsoluteTimer([&] { fired_at = MonotonicNanos(); });
  ASSERT_TRUE(early.ok() && late.ok());
  const int64_t now = MonotonicNanos();
  ASSERT_TRUE(loop->ArmAt(*early, now + 2'000'000).ok());
  ASSERT_TRUE(loop->ArmAt(*late, now + 6'000'000).ok());
  ASSERT_TRUE(loop->CancelTimer(*early).ok());
  ASSERT_TRUE(RunUntil(*loop, [&] { return fired_at != 0; }));
  EXPECT_GE(fired_at, now + 6'000'000);
  // Moving the only timer later, then earlier again.
  fired_at = 0;
  const int64_t t = MonotonicNanos();
  ASSERT_TRUE(loop->ArmAt(*late, t + 50'000'000).ok());
  ASSERT_TRUE(loop->ArmAt(*late, t + 2'000'000).ok());
  ASSERT_TRUE(RunUntil(*loop, [&] { return fired_at != 0; }));
  EXPECT_GE(fired_at, t + 2'000'000);
  EXPECT_LT(fired_at, t + 50'000'000);
}

// A periodic timer that fell behind runs once per wake-up, then keeps its
// period from its first deadline.
TEST(EventLoopTest, PeriodicTimerBehindRunsOncePerWakeup) {
  auto loop = NewLoop();
  std::vector<int64_t> at;
  const int64_t start = MonotonicNanos();
  ASSERT_TRUE(loop->AddTimer(absl::Milliseconds(2), TimerMode::kPeriodic,
                             [&] { at.push_back(MonotonicNanos()); })
                  .ok());
  absl::SleepFor(absl::Milliseconds(15));  // Seven periods missed.
  absl::StatusOr<int> n = loop->RunOnce(kPatience);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  ASSERT_TRUE(RunUntil(*loop, [&] { return at.size() == 3; }));
  // The later runs are on the 2 ms grid of the first deadline.
  for (size_t i = 1; i < at.size(); ++i) {
    EXPECT_GE(at[i] - start,
              16'000'000 + 2'000'000 * (static_cast<int64_t>(i) - 1));
  }
}

// Readers and timers in one wake-up: each callback counts once.
TEST(EventLoopTest, RunOnceCountsEveryTimerCallback) {
  auto loop = NewLoop();
  int fired = 0;
  const int64_t past = MonotonicNanos() - 1;
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<TimerId> id = loop->AddAbsoluteTimer([&] { ++fired; });
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE(loop->ArmAt(*id, past).ok());
  }
  Pipe p;
  ASSERT_TRUE(loop->AddReader(p.reader(), [&] { p.Drain(); }).ok());
  p.Poke();
  int total = 0;
  const absl::Time give_up = absl::Now() + kPatience;
  while (total < 4 && absl::Now() < give_up) {
    absl::StatusOr<int> n = loop->RunOnce(absl::Milliseconds(10));
    ASSERT_TRUE(n.ok());
    total += *n;
  }
  absl::StatusOr<int> extra = loop->RunOnce(absl::Milliseconds(10));
  ASSERT_TRUE(extra.ok());
  EXPECT_EQ(*extra, 0);
  EXPECT_EQ(fired, 3);
  EXPECT_EQ(total, 4);
}

TEST(EventLoopTest, SignalsArriveAsEvents) {
  auto loop = NewLoop();
  std::vector<int> seen;
  ASSERT_TRUE(loop->AddSignals({SIGUSR1, SIGHUP},
                               [&](int signo) { seen.push_back(signo); })
                  .ok());
  ASSERT_EQ(kill(getpid(), SIGHUP), 0);
  ASSERT_TRUE(RunUntil(*loop, [&] { return !seen.empty(); }));
  EXPECT_EQ(seen, std::vector<int>{SIGHUP});
  ASSERT_EQ(kill(getpid(), SIGUSR1), 0);
  ASSERT_TRUE(RunUntil(*loop, [&] { return seen.size() == 2; }));
  EXPECT_EQ(seen[1], SIGUSR1);
  // A signal still pending when the loop goes away must not kill us.
  ASSERT_EQ(kill(getpid(), SIGUSR1), 0);
}

TEST(EventLoopTest, InheritedIgnoredSignalStillArrives) {
  // Shells start background jobs with SIGINT ignored; `kill -INT` must
  // still stop a tool that waits for it on a signalfd.
  signal(SIGUSR2, SIG_IGN);
  auto loop = NewLoop();
  std::vector<int> seen;
  ASSERT_TRUE(
      loop->AddSignals({SIGUSR2}, [&](int signo) { seen.push_back(signo); })
          .ok());
  ASSERT_EQ(kill(getpid(), SIGUSR2), 0);
  ASSERT_TRUE(RunUntil(*loop, [&] { return !seen.empty(); }));
  EXPECT_EQ(seen, std::vector<int>{SIGUSR2});
}

TEST(EventLoopTest, StopFromCallbackEndsRun) {
  auto loop = NewLoop();
  int ticks = 0;
  ASSERT_TRUE(loop->AddTimer(absl::Milliseconds(1), TimerMode::kPeriodic,
                             [&] {
                               if (++ticks == 2) loop->Stop();
                             })
                  .ok());
  ASSERT_TRUE(loop->Run().ok());
  EXPECT_EQ(ticks, 2);
}

TEST(EventLoopTest, StopFromAnotherThreadWakesRun) {
  auto loop = NewLoop();
  std::thread stopper([&] {
    absl::SleepFor(absl::Milliseconds(20));
    loop->Stop();
  });
  EXPECT_TRUE(loop->Run().ok());
  stopper.join();
}

TEST(EventLoopTest, WakeFromAnotherThreadRunsTheCallbackOnTheLoopThread) {
  auto loop = NewLoop();
  const std::thread::id loop_thread = std::this_thread::get_id();
  int runs = 0;
  bool on_loop_thread = false;
  loop->SetOnWake([&] {
    ++runs;
    on_loop_thread = std::this_thread::get_id() == loop_thread;
    loop->Stop();
  });
  std::thread waker([&] {
    // Three before the loop looks: one run, not three.
    loop->Wake();
    loop->Wake();
    loop->Wake();
  });
  waker.join();
  ASSERT_TRUE(loop->Run().ok());
  EXPECT_EQ(runs, 1);
  EXPECT_TRUE(on_loop_thread);
}

TEST(EventLoopTest, WakeFromTheCallbackRunsAgainInTheNextBatch) {
  // A job done a piece per batch: one piece per batch, and the events that
  // became ready meanwhile run too.
  auto loop = NewLoop();
  Pipe pipe;
  int reads = 0;
  ASSERT_TRUE(loop->AddReader(pipe.reader(),
                              [&] {
                                pipe.Drain();
                                ++reads;
                              })
                  .ok());
  int pieces = 0;
  loop->SetOnWake([&] {
    if (++pieces == 1) pipe.Poke();
    if (pieces < 3) loop->Wake();
  });
  loop->Wake();
  std::vector<int> pieces_per_batch;
  for (int i = 0; i < 5; ++i) {
    const int before = pieces;
    ASSERT_TRUE(loop->RunOnce(absl::ZeroDuration()).ok());
    pieces_per_batch.push_back(pieces - before);
  }
  EXPECT_EQ(pieces_per_batch, (std::vector<int>{1, 1, 1, 0, 0}));
  EXPECT_EQ(reads, 1);
}

TEST(EventLoopTest, WakeWithoutACallbackOnlyWakes) {
  auto loop = NewLoop();
  loop->Wake();
  absl::StatusOr<int> ran = loop->RunOnce(absl::ZeroDuration());
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(*ran, 0);
}

}  // namespace
}  // namespace mcast::net
