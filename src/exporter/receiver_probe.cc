#include "exporter/receiver_probe.h"

#include "util/log.h"

namespace mcast::exporter {
namespace {

net::ReceiverSocketOptions SocketOptions(const ReceiverConfig& c) {
  net::ReceiverSocketOptions o;
  o.group = c.group;
  o.source = c.source;
  o.port = c.port;
  o.interface = c.interface;
  return o;
}

}  // namespace

ReceiverProbe::ReceiverProbe(const ReceiverConfig& config, net::EventLoop* loop,
                             absl::Mutex* mu)
    : config_(config),
      loop_(loop),
      mu_(mu),
      receiver_(SocketOptions(config), config.stats_options()) {}

ReceiverProbe::~ReceiverProbe() { Close(); }

void ReceiverProbe::Close() {
  if (registered_fd_ >= 0) {
    (void)loop_->RemoveFd(registered_fd_);
    registered_fd_ = -1;
  }
  receiver_.CloseSocket();
  joined_ = false;
}

void ReceiverProbe::TryOpen(bool force) {
  if (receiver_.has_socket() && !force) return;
  Close();
  absl::Status status = receiver_.OpenSocket();
  if (!status.ok()) {
    std::string error(status.message());
    if (error != open_error_) {
      util::Log(util::LogLevel::kWarning,
                "receiver %s: cannot join %s: %s (retrying)", config_.name,
                config_.group.ToString(), error);
    }
    open_error_ = error;
    return;
  }
  const int fd = receiver_.socket().fd();
  absl::Status added = loop_->AddReader(fd, [this] {
    absl::MutexLock lock(mu_);
    absl::Status s = receiver_.OnReadable();
    if (!s.ok()) {
      util::Log(util::LogLevel::kWarning, "receiver %s: %s", config_.name,
                std::string(s.message()));
    }
  });
  if (!added.ok()) {
    util::Log(util::LogLevel::kError, "receiver %s: %s", config_.name,
              std::string(added.message()));
    receiver_.CloseSocket();
    return;
  }
  registered_fd_ = fd;
  util::Log(
      util::LogLevel::kInfo, "receiver %s: joined %s%s on %s", config_.name,
      config_.is_ssm() ? "(" + config_.source.ToString() + "," : "(*,",
      config_.group.ToString() + ")", receiver_.socket().interface_name());
  open_error_.clear();
}

void ReceiverProbe::UpdateMembership(
    const std::vector<proc::IgmpInterface>& igmp) {
  joined_ = false;
  igmp_version_ = 0;
  if (!receiver_.has_socket()) return;
  const int index = receiver_.socket().interface_index();
  for (const proc::IgmpInterface& i : igmp) {
    if (i.index != index) continue;
    igmp_version_ = i.querier_version;
    for (const proc::IgmpGroup& g : i.groups) {
      if (g.group == config_.group) joined_ = true;
    }
  }
}

std::string ReceiverProbe::interface_name() const {
  if (!config_.interface.empty()) return config_.interface;
  return receiver_.has_socket() ? receiver_.socket().interface_name()
                                : std::string();
}

ReceiverProbeView ReceiverProbe::View(int64_t now_mono_ns) const {
  ReceiverProbeView v;
  v.name = config_.name;
  v.group = config_.group.ToString();
  v.source = config_.is_ssm() ? config_.source.ToString() : "*";
  v.interface = interface_name();
  v.snapshot = receiver_.stats().Snapshot(now_mono_ns);
  v.joined = joined_;
  v.igmp_version = igmp_version_;
  v.socket_drops = receiver_.socket_drops();
  return v;
}

}  // namespace mcast::exporter
