// The one exit-code map, and each tool's entry point returning it for the
// failures a unit test can provoke without root or sending anything (the
// rest, e.g. permission and busy ports, in integration/exit_codes_test.sh).
#include "cli/exit_codes.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli/exporter_command.h"
#include "cli/receive_command.h"
#include "cli/send_command.h"
#include "cli/status_command.h"

namespace mcast::cli {
namespace {

TEST(ExitCodeForTest, EveryStatusCode) {
  struct Row {
    absl::StatusCode code;
    int exit_code;
  };
  const Row rows[] = {
      {absl::StatusCode::kOk, 0},
      {absl::StatusCode::kCancelled, 71},
      {absl::StatusCode::kUnknown, 71},
      {absl::StatusCode::kInvalidArgument, 64},
      {absl::StatusCode::kDeadlineExceeded, 71},
      {absl::StatusCode::kNotFound, 69},
      {absl::StatusCode::kAlreadyExists, 71},
      {absl::StatusCode::kPermissionDenied, 69},
      {absl::StatusCode::kResourceExhausted, 71},
      {absl::StatusCode::kFailedPrecondition, 71},
      {absl::StatusCode::kAborted, 71},
      {absl::StatusCode::kOutOfRange, 64},
      {absl::StatusCode::kUnimplemented, 69},
      {absl::StatusCode::kInternal, 71},
      {absl::StatusCode::kUnavailable, 69},
      {absl::StatusCode::kDataLoss, 71},
      {absl::StatusCode::kUnauthenticated, 71},
  };
  // Every code absl has (0..16) is in the table exactly once.
  ASSERT_EQ(std::size(rows), 17u);
  for (size_t i = 0; i < std::size(rows); ++i) {
    ASSERT_EQ(static_cast<size_t>(rows[i].code), i);
    const absl::Status status = rows[i].code == absl::StatusCode::kOk
                                    ? absl::OkStatus()
                                    : absl::Status(rows[i].code, "injected");
    EXPECT_EQ(ExitCodeFor(status), rows[i].exit_code)
        << absl::StatusCodeToString(rows[i].code);
  }
  EXPECT_EQ(kExitUsage, 64);
  EXPECT_EQ(kExitUnavailable, 69);
  EXPECT_EQ(kExitSoftware, 70);
  EXPECT_EQ(kExitOsError, 71);
  EXPECT_EQ(kExitConfig, 78);
}

// argv for the Run* entry points, which take char** like main().
class Argv {
 public:
  explicit Argv(std::vector<std::string> args) : args_(std::move(args)) {
    for (std::string& a : args_) pointers_.push_back(a.data());
    pointers_.push_back(nullptr);
  }
  int argc() const { return static_cast<int>(args_.size()); }
  char** argv() { return pointers_.data(); }

 private:
  std::vector<std::string> args_;
  std::vector<char*> pointers_;
};

int Send(std::vector<std::string> args) {
  args.insert(args.begin(), "mcast-send");
  Argv a(std::move(args));
  return RunSend(a.argc(), a.argv());
}
int Receive(std::vector<std::string> args) {
  args.insert(args.begin(), "mcast-receive");
  Argv a(std::move(args));
  return RunReceive(a.argc(), a.argv());
}
int Exporter(std::vector<std::string> args) {
  args.insert(args.begin(), "mcast-exporter");
  Argv a(std::move(args));
  return RunExporter(a.argc(), a.argv());
}
int Status(std::vector<std::string> args) {
  args.insert(args.begin(), "mcast-status");
  Argv a(std::move(args));
  std::ostringstream out, err;
  return RunStatus(a.argc(), a.argv(), out, err);
}

TEST(ToolExitCodesTest, BadUsageIs64ForEveryTool) {
  EXPECT_EQ(Send({"--no-such-flag"}), kExitUsage);
  EXPECT_EQ(Receive({"--no-such-flag"}), kExitUsage);
  EXPECT_EQ(Status({"--no-such-flag"}), kExitUsage);
  EXPECT_EQ(Exporter({"--no-such-flag"}), kExitUsage);
  // The tools' own checks: usage whatever code the check produced.
  EXPECT_EQ(Send({"10.1.1.1"}), kExitUsage);
  EXPECT_EQ(Send({"239.1.1.1", "--interface", "nosuch0"}), kExitUsage);
  EXPECT_EQ(Receive({"239.1.1.1", "-i", "nosuch0"}), kExitUsage);
  EXPECT_EQ(Status({"-i", "nosuch0"}), kExitUsage);
}

TEST(ToolExitCodesTest, CoreErrorsGoThroughTheMap) {
  // Binding to an address this host does not have: NotFound from
  // SenderSocket::Open, before anything is sent.
  EXPECT_EQ(Send({"239.1.1.1", "-i", "lo", "--source", "192.0.2.1", "-q"}),
            ExitCodeFor(absl::NotFoundError("")));
  EXPECT_EQ(ExitCodeFor(absl::NotFoundError("")), kExitUnavailable);
}

TEST(ToolExitCodesTest, EveryConfigErrorIs78) {
  const std::string missing = "/nonexistent/mcast-exporter.toml";
  EXPECT_EQ(Exporter({"--config", missing}), kExitConfig);
  EXPECT_EQ(Exporter({"--check-config", missing}), kExitConfig);
  EXPECT_EQ(Exporter({"--check-config", "/"}), kExitConfig);  // A directory.
}

}  // namespace
}  // namespace mcast::cli
