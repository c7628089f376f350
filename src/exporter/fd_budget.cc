#include "exporter/fd_budget.h"

#include <algorithm>

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

uint64_t FdBudget::ExtraListeners() const {
  return listen_addresses > kHttpListeners ? listen_addresses - kHttpListeners
                                           : 0;
}

uint64_t FdBudget::Fixed() {
  return kStdio + kEventLoop + kSharedSendSockets + kLinkWatcher +
         kHttpListeners + kHttpConnections + kShortLived;
}

uint64_t FdBudget::Total() const {
  return senders * kFdsPerSender + receivers * kFdsPerReceiver +
         ExtraListeners() + Fixed();
}

std::string FdBudget::Breakdown() const {
  std::string listeners;
  if (ExtraListeners() != 0) {
    listeners =
        absl::StrCat(" + ", ExtraListeners(), " more listen addresses x 1");
  }
  return absl::StrCat(senders, " senders x ", kFdsPerSender, " + ", receivers,
                      " receivers x ", kFdsPerReceiver, listeners, " + ",
                      Fixed(), " fixed");
}

FdBudget FdBudgetFor(const Config& config, size_t listen_addresses) {
  FdBudget b;
  b.listen_addresses = listen_addresses;
  b.senders = config.senders.size();
  b.receivers = config.receivers.size();
  return b;
}

size_t ListenSocketsFor(const std::vector<std::string>& listen_override) {
  if (listen_override.empty()) return 1;
  size_t n = 0;
  for (const std::string& address : listen_override) {
    n += 1 +
         static_cast<size_t>(std::count(address.begin(), address.end(), ','));
  }
  return n;
}

absl::Status CheckFdBudget(const Config& config, uint64_t open_file_limit,
                           size_t listen_addresses) {
  const FdBudget budget = FdBudgetFor(config, listen_addresses);
  // Descriptors are numbered 0 .. limit-1: `limit` of them fit.
  if (budget.Total() <= open_file_limit) return absl::OkStatus();
  return absl::ResourceExhaustedError(
      absl::StrCat("config needs ", budget.Total(), " file descriptors (",
                   budget.Breakdown(), "), the open-file limit is ",
                   open_file_limit, " (raise LimitNOFILE or ulimit -n)"));
}

}  // namespace mcast::exporter
