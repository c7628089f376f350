#include "net/event_loop.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <csignal>
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

}  // namespace
}  // namespace mcast::net
