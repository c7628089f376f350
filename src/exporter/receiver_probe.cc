#include "exporter/receiver_probe.h"

#include <utility>

#include "exporter/probe_log.h"

namespace mcast::exporter {
namespace {

probe::ReceiverSessionOptions SessionOptions(
    const std::string& name, net::EventLoop* loop, absl::Mutex* mu,
    std::shared_ptr<net::ReceiveBuffers> buffers) {
  probe::ReceiverSessionOptions o;
  o.loop = loop;
  o.mu = mu;
  o.receive_buffers = std::move(buffers);
  o.log = ProbeLog("receiver", name);
  return o;
}

}  // namespace

ReceiverProbe::ReceiverProbe(const ReceiverConfig& config, net::EventLoop* loop,
                             absl::Mutex* mu,
                             std::shared_ptr<net::ReceiveBuffers> buffers)
    : config_(config),
      session_(config,
               SessionOptions(config.name, loop, mu, std::move(buffers))) {}

ReceiverProbeView ReceiverProbe::View(int64_t now_mono_ns) const {
  ReceiverProbeView v;
  v.name = config_.name;
  v.group = config_.group.ToString();
  v.source = config_.is_ssm() ? config_.source.ToString() : "*";
  v.interface = interface_name();
  v.snapshot = session_.receiver().stats().Snapshot(now_mono_ns);
  v.joined = session_.joined();
  v.igmp_version = session_.igmp_version();
  v.ipv6 = config_.group.is_v6();
  v.mld_version = session_.mld_version();
  v.socket_drops = session_.receiver().socket_drops();
  return v;
}

}  // namespace mcast::exporter
