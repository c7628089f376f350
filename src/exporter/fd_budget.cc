#include "exporter/fd_budget.h"

#include "absl/strings/str_cat.h"
#include "exporter/http_limits.h"

namespace mcast::exporter {
namespace {

constexpr uint64_t kStdio = 3;
constexpr uint64_t kEventLoop = 4;
constexpr uint64_t kSharedSendSockets =
    4;  // The scheduler's timer: kEventLoop.
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
  return senders * kFdsPerSender + ipv6_senders * kFdsPerIpv6Sender +
         receivers * kFdsPerReceiver + Fixed();
}

std::string FdBudget::Breakdown() const {
  std::string v6;
  if (ipv6_senders != 0) {
    v6 = absl::StrCat(" + ", ipv6_senders, " IPv6 senders x ",
                      kFdsPerIpv6Sender);
  }
  return absl::StrCat(senders, " senders x ", kFdsPerSender, v6, " + ",
                      receivers, " receivers x ", kFdsPerReceiver, " + ",
                      Fixed(), " fixed");
}

FdBudget FdBudgetFor(const Config& config) {
  FdBudget b;
  for (const SenderConfig& s : config.senders) {
    ++(s.group.is_v6() ? b.ipv6_senders : b.senders);
  }
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
