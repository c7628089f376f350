// UniqueFd closes exactly once, exactly when its ownership ends: checked
// with fcntl(F_GETFD) on the real descriptor numbers.
#include "util/unique_fd.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/eventfd.h>

#include <cerrno>
#include <type_traits>
#include <utility>

namespace mcast::util {
namespace {

static_assert(!std::is_copy_constructible_v<UniqueFd>);
static_assert(!std::is_copy_assignable_v<UniqueFd>);
static_assert(std::is_nothrow_move_constructible_v<UniqueFd>);
static_assert(std::is_nothrow_move_assignable_v<UniqueFd>);

bool IsOpen(int fd) { return fcntl(fd, F_GETFD) != -1; }

int NewFd() {
  const int fd = eventfd(0, EFD_CLOEXEC);
  EXPECT_GE(fd, 0);
  return fd;
}

TEST(UniqueFdTest, ClosesOnDestruction) {
  const int raw = NewFd();
  {
    UniqueFd fd(raw);
    EXPECT_EQ(fd.get(), raw);
    EXPECT_TRUE(fd.valid());
    EXPECT_TRUE(IsOpen(raw));
  }
  EXPECT_FALSE(IsOpen(raw));
  EXPECT_EQ(errno, EBADF);
}

TEST(UniqueFdTest, DefaultAndNegativeHoldNothing) {
  UniqueFd none;
  EXPECT_EQ(none.get(), -1);
  EXPECT_FALSE(none.valid());
  UniqueFd negative(-7);
  EXPECT_EQ(negative.get(), -1);
  EXPECT_EQ(negative.release(), -1);
}

TEST(UniqueFdTest, MoveConstructionTransfersWithoutClosing) {
  const int raw = NewFd();
  UniqueFd a(raw);
  {
    UniqueFd b(std::move(a));
    EXPECT_EQ(a.get(), -1);  // NOLINT(bugprone-use-after-move): the point.
    EXPECT_EQ(b.get(), raw);
    EXPECT_TRUE(IsOpen(raw));
  }
  EXPECT_FALSE(IsOpen(raw));  // Closed by b, once; a has nothing to close.
}

TEST(UniqueFdTest, MoveAssignmentClosesTheOldOneOnly) {
  const int first = NewFd();
  const int second = NewFd();
  UniqueFd a(first);
  UniqueFd b(second);
  a = std::move(b);
  EXPECT_FALSE(IsOpen(first));
  EXPECT_TRUE(IsOpen(second));
  EXPECT_EQ(a.get(), second);
  EXPECT_EQ(b.get(), -1);  // NOLINT(bugprone-use-after-move)
  // Self-move (through a reference, as generic code would) keeps it open.
  UniqueFd& same = a;
  a = std::move(same);
  EXPECT_EQ(a.get(), second);
  EXPECT_TRUE(IsOpen(second));
}

TEST(UniqueFdTest, ReleaseHandsOverWithoutClosing) {
  const int raw = NewFd();
  int released;
  {
    UniqueFd fd(raw);
    released = fd.release();
    EXPECT_EQ(fd.get(), -1);
  }
  EXPECT_EQ(released, raw);
  EXPECT_TRUE(IsOpen(raw));
  close(raw);
}

TEST(UniqueFdTest, ResetClosesOnceAndNeverTwice) {
  const int first = NewFd();
  UniqueFd fd(first);
  fd.reset();
  EXPECT_FALSE(IsOpen(first));
  EXPECT_EQ(fd.get(), -1);
  // The number is free: the next descriptor may get it. A second reset (or
  // the destructor) must not close that one.
  const int reused = NewFd();
  fd.reset();
  EXPECT_TRUE(IsOpen(reused));
  {
    UniqueFd other(reused);
    other.reset(reused);  // The descriptor it already holds: kept open.
    EXPECT_TRUE(IsOpen(reused));
    const int next = NewFd();
    other.reset(next);
    EXPECT_FALSE(IsOpen(reused));
    EXPECT_TRUE(IsOpen(next));
  }
}

}  // namespace
}  // namespace mcast::util
