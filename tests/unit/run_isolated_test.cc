#include "util/run_isolated.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/time.h"

namespace mcast::util {
namespace {

TEST(RunIsolatedTest, ReturnsTheChildsStatus) {
  EXPECT_TRUE(
      RunIsolated([] { return absl::OkStatus(); }, absl::Seconds(10)).ok());
  absl::Status s =
      RunIsolated([] { return absl::InvalidArgumentError("bad\nfile"); },
                  absl::Seconds(10));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "bad\nfile");
}

TEST(RunIsolatedTest, ChildStateDoesNotLeak) {
  int touched = 0;
  ASSERT_TRUE(RunIsolated(
                  [&] {
                    touched = 1;
                    return absl::OkStatus();
                  },
                  absl::Seconds(10))
                  .ok());
  EXPECT_EQ(touched, 0);  // It ran in another address space.
}

TEST(RunIsolatedTest, ACrashOnlyFailsTheCall) {
  absl::Status s = RunIsolated(
      []() -> absl::Status {
        std::abort();  // SIGABRT: sanitizers leave it alone.
      },
      absl::Seconds(10));
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(s.message(), "was killed by signal 6 (Aborted)");
}

TEST(RunIsolatedTest, AnExitWithoutAnswerIsAnError) {
  absl::Status s =
      RunIsolated([]() -> absl::Status { _exit(3); }, absl::Seconds(10));
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(s.message(), "exited with status 3 without an answer");
}

TEST(RunIsolatedTest, AHangIsKilledAtTheDeadline) {
  absl::Status s = RunIsolated(
      []() -> absl::Status {
        while (true) pause();
      },
      absl::Milliseconds(200));
  EXPECT_EQ(s.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(s.message(), "did not finish within 200ms and was killed");
}

TEST(RunIsolatedTest, LongMessagesAreCut) {
  absl::Status s = RunIsolated(
      [] { return absl::InvalidArgumentError(std::string(1 << 20, 'x')); },
      absl::Seconds(10));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().size(), kMaxIsolatedMessage);
}

}  // namespace
}  // namespace mcast::util
