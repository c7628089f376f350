// The one errno -> Status table, and the readers that used to keep their
// own table (proc files, the exporter config) following it.
#include "util/errno_status.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "exporter/config_loader.h"
#include "proc/proc_text.h"

namespace mcast::util {
namespace {

struct Row {
  int err;
  absl::StatusCode code;
};

TEST(ErrnoToStatusTest, Table) {
  const Row rows[] = {
      {EPERM, absl::StatusCode::kPermissionDenied},
      {EACCES, absl::StatusCode::kPermissionDenied},
      {EROFS, absl::StatusCode::kPermissionDenied},
      {ENODEV, absl::StatusCode::kNotFound},
      {ENOENT, absl::StatusCode::kNotFound},
      {ENXIO, absl::StatusCode::kNotFound},
      {EADDRNOTAVAIL, absl::StatusCode::kNotFound},
      {EINVAL, absl::StatusCode::kInvalidArgument},
      {EAGAIN, absl::StatusCode::kUnavailable},
      {ENOBUFS, absl::StatusCode::kUnavailable},
      {ENETUNREACH, absl::StatusCode::kUnavailable},
      {ENETDOWN, absl::StatusCode::kUnavailable},
      {EHOSTUNREACH, absl::StatusCode::kUnavailable},
      {EINTR, absl::StatusCode::kUnavailable},
      {EAFNOSUPPORT, absl::StatusCode::kUnimplemented},
      {EPROTONOSUPPORT, absl::StatusCode::kUnimplemented},
      {EOPNOTSUPP, absl::StatusCode::kUnimplemented},
      {ENOSYS, absl::StatusCode::kUnimplemented},
      {ENOMEM, absl::StatusCode::kResourceExhausted},
      {EMFILE, absl::StatusCode::kResourceExhausted},
      {ENFILE, absl::StatusCode::kResourceExhausted},
      {EIO, absl::StatusCode::kInternal},
      {EISDIR, absl::StatusCode::kInternal},
      {ENOTDIR, absl::StatusCode::kInternal},
      {EEXIST, absl::StatusCode::kInternal},
      {EMSGSIZE, absl::StatusCode::kInternal},
      {0, absl::StatusCode::kInternal},  // Never OK, even for a stale errno.
  };
  for (const Row& row : rows) {
    absl::Status s = ErrnoToStatus(row.err, "open(x)");
    EXPECT_EQ(s.code(), row.code) << "errno " << row.err << ": " << s;
    EXPECT_EQ(s.message(), std::string("open(x): ") + std::strerror(row.err));
    EXPECT_EQ(ErrnoStatusCode(row.err), row.code) << "errno " << row.err;
  }
}

// Opening a character device no driver claims fails with ENXIO (or ENODEV):
// a failure the old hand-written table in ReadProcFile called Internal.
class DeadDevice : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/errno-status-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/dead";
    // Major 240 is reserved for local use: nothing on a test host has it.
    if (mknod(path_.c_str(), S_IFCHR | 0600, makedev(240, 0)) != 0) {
      GTEST_SKIP() << "mknod needs CAP_MKNOD: " << std::strerror(errno);
    }
    const int fd = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    err_ = errno;
    if (fd >= 0) {
      close(fd);
      GTEST_SKIP() << "char device 240:0 has a driver here";
    }
  }
  void TearDown() override {
    unlink(path_.c_str());
    rmdir(dir_.c_str());
  }
  std::string dir_, path_;
  int err_ = 0;
};

TEST_F(DeadDevice, ProcReaderUsesTheOneTable) {
  absl::StatusOr<std::string> text = proc::ReadProcFile(path_);
  ASSERT_FALSE(text.ok());
  absl::Status want = ErrnoToStatus(err_, "cannot read " + path_);
  EXPECT_EQ(text.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(text.status(), want);
}

TEST_F(DeadDevice, ConfigReaderUsesTheOneTable) {
  absl::StatusOr<exporter::Config> config = exporter::LoadConfigFile(path_);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status(), ErrnoToStatus(err_, path_ + ": cannot open"));
}

TEST(ErrnoToStatusTest, ConfigReaderOpenErrorsFollowTheTable) {
  // ENOTDIR: a path through a regular file. The old table said
  // FailedPrecondition.
  absl::StatusOr<exporter::Config> config =
      exporter::LoadConfigFile("/dev/null/mcast-exporter.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(
      config.status(),
      ErrnoToStatus(ENOTDIR, "/dev/null/mcast-exporter.toml: cannot open"));
}

}  // namespace
}  // namespace mcast::util
