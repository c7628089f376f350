#ifndef MCAST_UTIL_RUN_ISOLATED_H_
#define MCAST_UTIL_RUN_ISOLATED_H_

// Runs a check in a forked child process, so that a crash (a stack overflow
// in a third-party parser), a hang or runaway memory in it costs only the
// child: the caller gets an error and carries on. The exporter parses a
// reloaded config this way, because the parser (toml++) is not ours and
// a SIGHUP must never take the running service down.
//
// The child is a fork of the caller, so it sees the caller's memory as it
// was (inputs need no copying) and nothing it changes comes back: only the
// status code and message, through a pipe. Its core dumps are disabled (a
// crash here is an expected outcome, not a bug report of the size of the
// exporter), it dies with the parent (PR_SET_PDEATHSIG) and is SIGKILLed
// at the deadline. Only fork and the pipe are used, which systemd's
// SystemCallFilter=@system-service allows.

#include <cstddef>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/time.h"

namespace mcast::util {

// Longer child messages are cut to this many bytes.
inline constexpr size_t kMaxIsolatedMessage = 64 << 10;

// `fn`'s status, or:
//   kInternal "was killed by signal 11 (Segmentation fault)"
//   kInternal "exited with status 1 without an answer" (e.g. a sanitizer)
//   kDeadlineExceeded "did not finish within 10s and was killed"
//   kUnavailable "could not start: fork: ..." (or "no pipe: ...")
// `fn` must only compute (no locks another thread may hold at fork time,
// no output): it runs in a copy of one thread of a multi-threaded process.
absl::Status RunIsolated(absl::FunctionRef<absl::Status()> fn,
                         absl::Duration timeout);

}  // namespace mcast::util

#endif  // MCAST_UTIL_RUN_ISOLATED_H_
