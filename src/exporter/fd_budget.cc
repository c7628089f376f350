#include "exporter/fd_budget.h"

#include "absl/strings/str_cat.h"
#include "exporter/http_limits.h"

namespace mcast::exporter {
namespace {

constexpr uint64_t kStdio = 3;
constexpr uint64_t kEventLoop = 4;
// The scheduler's timer is in kEventLoop.
constexpr uint64_t kSharedSendSockets = 6;
constexpr uint64_t kLinkWatcher = 3;
constexpr uint64_t kHttpListeners = 1;
constexpr uint64_t kHttpConnections = kHttpWorkers + kHttpConnectionQueue + 1;
constexpr uint64_t kShortLived = 4;

}  // namespace

uint64_t FdBudget::Fixed() {
  return kStdio + kEventLoop + kSharedSendSockets + kLinkWatcher +
         kHttpListeners + kHttpConnections + kShortLived;
}

uint64_t FdBudget::Total() const {
  return senders * kFdsPerSender + receivers * kFdsPerReceiver + Fixed();
}

std::string FdBudget::Breakdown() const {
  return absl::StrCat(senders, " senders x ", kFdsPerSender, " + ", receivers,
                      " receivers x ", kFdsPerReceiver, " + ", Fixed(),
                      " fixed");
}

FdBudget FdBudgetFor(const Config& config) {
  FdBudget b;
  b.senders = config.senders.size();
  b.receivers = config.receivers.size();
  return b;
}

absl::Status CheckFdBudget(const Config& config, uint64_t open_file_limit) {
  const FdBudget budget = FdBudgetFor(config);
  // Descriptors are numbered 0 .. limit-1: `limit` of them fit.
  if (budget.Total() <= open_file_limit) return absl::OkStatus();
  return absl::ResourceExhaustedError(
      absl::StrCat("config needs ", budget.Total(), " file descriptors (",
                   budget.Breakdown(), "), the open-file limit is ",
                   open_file_limit, " (raise LimitNOFILE or ulimit -n)"));
}

}  // namespace mcast::exporter
