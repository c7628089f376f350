#include "util/run_isolated.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace mcast::util {
namespace {

void WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= static_cast<size_t>(n);
  }
}

[[noreturn]] void RunChild(absl::FunctionRef<absl::Status()> fn, int fd) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  absl::Status status = fn();
  const int32_t code = static_cast<int32_t>(status.code());
  WriteAll(fd, reinterpret_cast<const char*>(&code), sizeof(code));
  absl::string_view message = status.message();
  if (message.size() > kMaxIsolatedMessage) {
    message = message.substr(0, kMaxIsolatedMessage);
  }
  WriteAll(fd, message.data(), message.size());
  // No atexit handlers, no stdio flushing: the parent's buffers are not ours.
  _exit(0);
}

// Kills and reaps the child; its exit status when it was already gone.
int Reap(pid_t pid, bool kill_first) {
  if (kill_first) kill(pid, SIGKILL);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  return wstatus;
}

}  // namespace

absl::Status RunIsolated(absl::FunctionRef<absl::Status()> fn,
                         absl::Duration timeout) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return absl::UnavailableError(
        absl::StrCat("could not start: no pipe: ", std::strerror(errno)));
  }
  const absl::Time deadline = absl::Now() + timeout;
  pid_t pid = fork();
  if (pid < 0) {
    int err = errno;
    close(fds[0]);
    close(fds[1]);
    return absl::UnavailableError(
        absl::StrCat("could not start: fork: ", std::strerror(err)));
  }
  if (pid == 0) {
    close(fds[0]);
    RunChild(fn, fds[1]);
  }
  close(fds[1]);

  std::string answer;
  bool timed_out = false;
  char buffer[4096];
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int ready =
        poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // Timeout: re-checked above.
    ssize_t n = read(fds[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the child is done (or dead).
    if (answer.size() < sizeof(int32_t) + kMaxIsolatedMessage) {
      answer.append(buffer, static_cast<size_t>(n));
    }
  }
  close(fds[0]);
  const int wstatus = Reap(pid, timed_out);

  if (timed_out) {
    return absl::DeadlineExceededError(
        absl::StrCat("did not finish within ", absl::FormatDuration(timeout),
                     " and was killed"));
  }
  if (WIFSIGNALED(wstatus)) {
    const int sig = WTERMSIG(wstatus);
    return absl::InternalError(
        absl::StrCat("was killed by signal ", sig, " (", strsignal(sig), ")"));
  }
  if (answer.size() < sizeof(int32_t) ||
      !(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)) {
    return absl::InternalError(absl::StrCat(
        "exited with status ", WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1,
        " without an answer"));
  }
  int32_t code = 0;
  std::memcpy(&code, answer.data(), sizeof(code));
  if (code == 0) return absl::OkStatus();
  std::string message = answer.substr(sizeof(code), kMaxIsolatedMessage);
  return absl::Status(static_cast<absl::StatusCode>(code), message);
}

}  // namespace mcast::util
