#include "exporter/probe_table_resolver.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "exporter/toml_values.h"
#include "probe/spec_check.h"
#include "util/byte_size.h"
#include "util/message_text.h"

namespace mcast::exporter {

namespace {

// What senders and receivers share: the probe's name and where its packets
// go. name, group and source are never inherited.
template <typename Probe>
void ResolveWhereTo(const ProbeFields& own, const ProbeFields& d, Probe* p) {
  p->name = own.name.value.value_or("");
  p->group = own.group.value.value_or(inet::IpAddress());
  p->source = own.source.value.value_or(inet::IpAddress());
  p->port =
      static_cast<uint16_t>(Inherit(own.port, d.port).value.value_or(p->port));
  p->interface = Inherit(own.interface, d.interface).value.value_or("");
}

}  // namespace

ProbeTableResolver::ProbeTableResolver(const ProbeFields& defaults,
                                       TomlProblems& problems, Config* config)
    : defaults_(defaults), problems_(problems), config_(config) {}

void ProbeTableResolver::Missing(const ProbeFields& f, const std::string& path,
                                 absl::string_view key,
                                 absl::string_view allowed) {
  Report(problems_, *f.table, absl::StrCat(path, ".", key),
         absl::StrCat("missing required key (", allowed, ")"));
}

void ProbeTableResolver::RequireIdentity(const ProbeFields& own,
                                         const std::string& path) {
  if (!own.name.set()) Missing(own, path, "name", kNameAllowed);
  if (!own.group.set()) Missing(own, path, "group", probe::kGroupAllowed);
  NoteName(own, path);
}

void ProbeTableResolver::CheckAddresses(const ProbeFields& own,
                                        const std::string& path,
                                        const std::string& interface) {
  if (!own.group.value || own.source.invalid) return;
  const inet::IpAddress group = *own.group.value;
  const inet::IpAddress source = own.source.value.value_or(inet::IpAddress());
  absl::Status family = probe::CheckSourceFamily(group, source);
  if (!family.ok()) {
    Report(problems_, *own.source.node, absl::StrCat(path, ".source"),
           family.message());
    return;
  }
  const Field<std::string>& iface = Inherit(own.interface, defaults_.interface);
  if (iface.invalid) return;
  absl::Status scope = probe::CheckScopeInterface(group, source, interface);
  if (!scope.ok()) {
    Report(problems_, *own.group.node, absl::StrCat(path, ".interface"),
           scope.message());
  }
}

void ProbeTableResolver::NoteName(const ProbeFields& f,
                                  const std::string& path) {
  if (!f.name.value) return;
  names_.push_back({*f.name.value, path, f.name.node});
}

void ProbeTableResolver::CheckNames() {
  std::stable_sort(
      names_.begin(), names_.end(), [](const NameUse& a, const NameUse& b) {
        const toml::source_position& pa = a.node->source().begin;
        const toml::source_position& pb = b.node->source().begin;
        return std::tie(pa.line, pa.column) < std::tie(pb.line, pb.column);
      });
  absl::flat_hash_map<std::string, const NameUse*> first;
  for (const NameUse& use : names_) {
    auto [it, inserted] = first.try_emplace(use.name, &use);
    if (inserted) continue;
    const NameUse& earlier = *it->second;
    const toml::source_position& at = earlier.node->source().begin;
    Report(problems_, *use.node, absl::StrCat(use.path, ".name"),
           absl::StrCat("duplicate probe name ", util::QuoteUntrusted(use.name),
                        ", first used by ", earlier.path, " at ", at.line, ":",
                        at.column,
                        " (names are unique across senders and receivers)"));
  }
}

void ProbeTableResolver::AddSender(const ProbeFields& own,
                                   const std::string& path) {
  RequireIdentity(own, path);
  config_->senders.push_back(ResolveSender(own, path));
}

void ProbeTableResolver::NoteMeshName(const ProbeFields& mesh,
                                      const std::string& path) {
  NoteName(mesh, path);
}

SenderConfig ProbeTableResolver::ResolveSender(const ProbeFields& own,
                                               const std::string& path) {
  const ProbeFields& d = defaults_;
  SenderConfig s;
  ResolveWhereTo(own, d, &s);
  CheckAddresses(own, path, s.interface);
  s.ttl = Inherit(own.ttl, d.ttl).value.value_or(s.ttl);
  s.dscp = Inherit(own.dscp, d.dscp).value.value_or(s.dscp);
  s.size = Inherit(own.size, d.size).value.value_or(s.size);
  s.clock = Inherit(own.clock, d.clock).value.value_or(s.clock);
  s.loopback = Inherit(own.loopback, d.loopback).value.value_or(s.loopback);

  const Field<util::Rate>& rate = Inherit(own.rate, d.rate);
  const Field<int>& size = Inherit(own.size, d.size);
  util::Rate r = rate.value.value_or(
      util::Rate{util::Rate::Unit::kPacketsPerSecond, s.packets_per_second});
  s.rate = r.ToString();
  s.packets_per_second = r.PacketsPerSecond(static_cast<size_t>(s.size));
  if (!rate.invalid && !size.invalid) {
    absl::Status status =
        probe::CheckPacketRate(s.rate, s.packets_per_second, s.size);
    if (!status.ok()) {
      const toml::node& at = own.rate.set()   ? *own.rate.node
                             : own.size.set() ? *own.size.node
                                              : *own.table;
      Report(problems_, at, absl::StrCat(path, ".rate"), status.message());
    }
  }
  return s;
}

void ProbeTableResolver::AddReceiver(const ProbeFields& own,
                                     const std::string& path) {
  RequireIdentity(own, path);
  AddResolvedReceiver(ResolveReceiver(own, path), SizeSite(own, path));
}

void ProbeTableResolver::AddResolvedSender(SenderConfig sender) {
  config_->senders.push_back(std::move(sender));
}

void ProbeTableResolver::AddResolvedReceiver(ReceiverConfig receiver,
                                             MemorySite site) {
  receiver_sites_.push_back(std::move(site));
  config_->receivers.push_back(std::move(receiver));
}

ProbeTableResolver::MemorySite ProbeTableResolver::SizeSite(
    const ProbeFields& own, const std::string& path) const {
  const ProbeFields& d = defaults_;
  const Field<int>& senders = Inherit(own.max_senders, d.max_senders);
  const Field<int>& reorder = Inherit(own.reorder_packets, d.reorder_packets);
  return {senders.set()   ? senders.node
          : reorder.set() ? reorder.node
                          : own.table,
          absl::StrCat(path, ".max_senders"),
          "lower max_senders or reorder_packets, or raise "
          "exporter.memory_limit"};
}

ReceiverConfig ProbeTableResolver::ResolveReceiver(const ProbeFields& own,
                                                   const std::string& path) {
  const ProbeFields& d = defaults_;
  ReceiverConfig r;
  ResolveWhereTo(own, d, &r);
  CheckAddresses(own, path, r.interface);
  r.stall_timeout = Inherit(own.stall_timeout, d.stall_timeout)
                        .value.value_or(r.stall_timeout);
  r.reorder_window = Inherit(own.reorder_window, d.reorder_window)
                         .value.value_or(r.reorder_window);
  r.reorder_packets = Inherit(own.reorder_packets, d.reorder_packets)
                          .value.value_or(r.reorder_packets);
  r.max_senders =
      Inherit(own.max_senders, d.max_senders).value.value_or(r.max_senders);
  const Field<absl::Duration>& expiry =
      Inherit(own.sender_expiry, d.sender_expiry);
  r.sender_expiry = expiry.value.value_or(r.sender_expiry);
  if (!expiry.invalid) {
    absl::Status status = probe::CheckSenderExpiry(r, !expiry.set());
    if (!status.ok()) {
      const toml::node& at = expiry.set() ? *expiry.node : *own.table;
      Report(problems_, at, absl::StrCat(path, ".sender_expiry"),
             status.message());
    }
  }
  r.rejoin_interval = Inherit(own.rejoin_interval, d.rejoin_interval)
                          .value.value_or(r.rejoin_interval);
  // As mcast-receive --decode and --rtp-clock-rate: the spec's mode and
  // fields from `decode`, its clock from `rtp_clock_rate`.
  r.decode = Inherit(own.decode, d.decode).value.value_or(r.decode);
  r.decode.rtp_clock_rate = static_cast<uint32_t>(
      Inherit(own.rtp_clock_rate, d.rtp_clock_rate)
          .value.value_or(static_cast<int>(streams::kDefaultRtpClockRate)));
  const Field<int>& igmp = Inherit(own.igmp_version, d.igmp_version);
  r.igmp_version = igmp.value.value_or(r.igmp_version);
  // [defaults] may hold both (for receivers of both families); a receiver's
  // own igmp_version is for an IPv4 group, its own mld_version for IPv6.
  const Field<int>& mld = Inherit(own.mld_version, d.mld_version);
  r.mld_version = mld.value.value_or(r.mld_version);
  const bool v6 = own.group.value && own.group.value->is_v6();
  if (own.group.value) {
    for (const probe::SpecProblem& problem : probe::CheckVersionFamily(
             *own.group.value, own.igmp_version.set(), own.mld_version.set())) {
      const Field<int>& field = problem.field == probe::SpecField::kMldVersion
                                    ? own.mld_version
                                    : own.igmp_version;
      Report(problems_, *field.node,
             absl::StrCat(path, ".", probe::SpecFieldKey(problem.field)),
             problem.reason);
    }
  }
  if (v6) {
    if (own.source.value && !mld.invalid) {
      absl::Status status = probe::CheckSsmMldVersion(r.source, r.mld_version);
      if (!status.ok()) {
        const toml::node& at =
            own.mld_version.set() ? *own.mld_version.node : *own.source.node;
        Report(problems_, at, absl::StrCat(path, ".mld_version"),
               absl::StrCat(status.message(),
                            own.mld_version.set() ? "" : " from [defaults]"));
      }
    }
  } else if (own.source.value && !igmp.invalid) {
    absl::Status status = probe::CheckSsmIgmpVersion(r.source, r.igmp_version);
    if (!status.ok()) {
      const toml::node& at =
          own.igmp_version.set() ? *own.igmp_version.node : *own.source.node;
      Report(problems_, at, absl::StrCat(path, ".igmp_version"),
             absl::StrCat(status.message(),
                          own.igmp_version.set() ? "" : " from [defaults]"));
    }
  }
  return r;
}

void ProbeTableResolver::CheckMemory(bool memory_limit_set) {
  const uint64_t limit = config_->exporter.memory_limit_bytes;
  const std::string limit_text =
      absl::StrCat("exporter.memory_limit ", util::FormatByteSize(limit),
                   memory_limit_set ? "" : " (the default)");
  uint64_t before = 0;
  for (size_t i = 0; i < config_->receivers.size(); ++i) {
    const ReceiverConfig& r = config_->receivers[i];
    const MemorySite& site = receiver_sites_[i];
    absl::Status status =
        probe::CheckReceiverMemory(r, before, limit, limit_text, site.hint);
    if (!status.ok()) {
      Report(problems_, *site.at, site.key, status.message());
      return;
    }
    before += probe::WorstCaseBytes(r);
  }
}

}  // namespace mcast::exporter
