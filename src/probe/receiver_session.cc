#include "probe/receiver_session.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "netif/interface_lookup.h"
#include "proc/force_igmp_version_file.h"
#include "proc/mld_report_counters.h"

namespace mcast::probe {

net::ReceiverSocketOptions ReceiverSocketOptionsFor(const ReceiverSpec& spec) {
  net::ReceiverSocketOptions o;
  o.group = spec.group;
  o.source = spec.source;
  o.port = spec.port;
  o.interface = spec.interface;
  return o;
}

namespace {

net::ReceiverSocketOptions SocketOptionsWithBuffers(
    const ReceiverSpec& spec, std::shared_ptr<net::ReceiveBuffers> buffers) {
  net::ReceiverSocketOptions o = ReceiverSocketOptionsFor(spec);
  o.shared_buffers = std::move(buffers);
  return o;
}

}  // namespace

ReceiverSession::ReceiverSession(const ReceiverSpec& spec,
                                 ReceiverSessionOptions options)
    : spec_(spec),
      options_(std::move(options)),
      receiver_(SocketOptionsWithBuffers(spec, options_.receive_buffers),
                spec.stats_options(), spec.stream_options()) {}

ReceiverSession::~ReceiverSession() {
  Close();
  igmp_.reset();  // After the leave: it was reported with the forced version.
}

void ReceiverSession::Close() {
  if (registered_fd_ >= 0) {
    (void)options_.loop->RemoveFd(registered_fd_);
    registered_fd_ = -1;
  }
  receiver_.CloseSocket();
  membership_.joined = false;
}

absl::Status ReceiverSession::Open() {
  Close();
  const bool v6 = spec_.group.is_v6();
  if (options_.force_igmp_version) {
    // The sysctl is per interface: it needs a name before the join.
    std::string iface = spec_.interface;
    if (iface.empty()) {
      absl::StatusOr<netif::RoutedInterface> route =
          netif::RouteInterfaceFor(spec_.group);
      if (!route.ok()) {
        // Whatever the lookup failed on, the interface is what is missing.
        return absl::UnavailableError(absl::StrCat(
            "no route to ", spec_.group.ToString(), " to pick an interface (",
            route.status().message(), ")"));
      }
      iface = route->name;
      receiver_.set_interface(iface);
    }
    if (!igmp_) {
      net::IgmpVersionGuard::Options guard = options_.igmp_guard;
      guard.protocol =
          v6 ? proc::GroupProtocol::kMld : proc::GroupProtocol::kIgmp;
      igmp_ = std::make_unique<IgmpVersionRegistry>(
          IgmpVersionRegistry::Options{guard, options_.log});
    }
    // Before the join, so that its report uses the forced version.
    igmp_->Sync({{iface, v6 ? spec_.mld_version : spec_.igmp_version, ""}},
                /*warn_conflicts=*/true);
  }
  // Before the join too: the report it sends is what tells the version.
  const std::string known_iface = receiver_.socket_options().interface;
  if (v6 && !known_iface.empty()) StartMldReadBack(known_iface);
  absl::Status status = receiver_.OpenSocket();
  if (!status.ok()) return status;
  const int fd = receiver_.socket().fd();
  // The loop holds the front end's mutex (if any) around the callback, one
  // acquisition for all the receivers ready in one epoll batch.
  absl::Status added = options_.loop->AddReader(
      fd, [this] { OnReadable(); }, options_.mu);
  if (!added.ok()) {
    receiver_.CloseSocket();
    return added;
  }
  registered_fd_ = fd;
  if (v6 && known_iface.empty()) {
    // Routed: the interface is known only now, after the join's report.
    StartMldReadBack(receiver_.socket().interface_name());
  }
  Log(util::LogLevel::kInfo,
      absl::StrCat("joined ",
                   spec_.is_ssm() ? "(" + spec_.source.ToString() + "," : "(*,",
                   spec_.group.ToString(), ") on ",
                   receiver_.socket().interface_name()));
  return absl::OkStatus();
}

void ReceiverSession::TryOpen(bool force) {
  if (receiver_.has_socket() && !force) return;
  absl::Status status = Open();
  if (!status.ok()) {
    std::string error(status.message());
    if (error != open_error_) {
      Log(util::LogLevel::kWarning,
          absl::StrCat("cannot join ", spec_.group.ToString(), ": ", error,
                       " (retrying)"));
    }
    open_error_ = std::move(error);
    return;
  }
  open_error_.clear();
}

void ReceiverSession::OnReadable() {
  absl::Status s = receiver_.OnReadable();
  if (s.ok()) return;
  receive_error_ = std::string(s.message());
  if (options_.log_receive_errors) {
    Log(util::LogLevel::kWarning, receive_error_);
  }
}

void ReceiverSession::StartMldReadBack(const std::string& iface) {
  mld_read_back_ = proc::MldVersionReadBack();
  mld_version_ = 0;
  absl::StatusOr<proc::MldReportCounters> now =
      proc::ReadMldReportCounters(iface, options_.igmp_guard.proc_root);
  if (now.ok()) mld_read_back_.Start(*now);
}

void ReceiverSession::UpdateMembership6(
    const std::vector<proc::Igmp6Entry>& igmp6) {
  UpdateMembership6(Igmp6MembershipIndex(igmp6));
}

void ReceiverSession::UpdateMembership6(const Igmp6MembershipIndex& igmp6) {
  if (!spec_.group.is_v6()) return;
  membership_ = IgmpMembership();
  if (!receiver_.has_socket()) return;
  membership_ = igmp6.Of(receiver_.socket().interface_index(), spec_.group);
  const std::string iface = receiver_.socket().interface_name();
  const std::string& root = options_.igmp_guard.proc_root;
  absl::StatusOr<int> forced =
      proc::ReadForcedVersion(proc::GroupProtocol::kMld, iface, root);
  absl::StatusOr<proc::MldReportCounters> reports =
      proc::ReadMldReportCounters(iface, root);
  if (reports.ok()) {
    mld_version_ = mld_read_back_.Update(forced.ok() ? *forced : 0, *reports);
  } else if (forced.ok() && *forced != 0) {
    mld_version_ = *forced;
  }
}

void ReceiverSession::UpdateMembership(
    const std::vector<proc::IgmpInterface>& igmp) {
  UpdateMembership(IgmpMembershipIndex(igmp));
}

void ReceiverSession::UpdateMembership(const IgmpMembershipIndex& igmp) {
  if (!spec_.group.is_v4()) return;
  membership_ = IgmpMembership();
  if (!receiver_.has_socket()) return;
  membership_ = igmp.Of(receiver_.socket().interface_index(), spec_.group);
}

absl::Status ReceiverSession::RefreshMembership() {
  if (spec_.group.is_v6()) {
    absl::StatusOr<std::vector<proc::Igmp6Entry>> igmp6 = proc::ReadIgmp6();
    if (!igmp6.ok()) return igmp6.status();
    UpdateMembership6(*igmp6);
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<proc::IgmpInterface>> igmp = proc::ReadIgmp();
  if (!igmp.ok()) return igmp.status();
  UpdateMembership(*igmp);
  return absl::OkStatus();
}

std::string ReceiverSession::interface_name() const {
  if (!spec_.interface.empty()) return spec_.interface;
  return receiver_.has_socket() ? receiver_.socket().interface_name()
                                : std::string();
}

}  // namespace mcast::probe
