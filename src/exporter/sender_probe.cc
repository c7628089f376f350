#include "exporter/sender_probe.h"

#include "exporter/probe_log.h"

namespace mcast::exporter {
namespace {

probe::SenderSessionOptions SessionOptions(const std::string& name,
                                           net::EventLoop* loop,
                                           absl::Mutex* mu,
                                           probe::SendScheduler* scheduler) {
  probe::SenderSessionOptions o;
  o.loop = loop;
  o.mu = mu;
  o.scheduler = scheduler;
  o.log = ProbeLog("sender", name);
  return o;
}

}  // namespace

SenderProbe::SenderProbe(const SenderConfig& config, net::EventLoop* loop,
                         absl::Mutex* mu, probe::SendScheduler* scheduler)
    : config_(config),
      session_(config, SessionOptions(config.name, loop, mu, scheduler)) {}

absl::Status SenderProbe::Start() {
  session_.ReopenSocket();
  return session_.Start();
}

SenderProbeView SenderProbe::View() const {
  SenderProbeView v;
  v.name = config_.name;
  v.group = config_.group.ToString();
  v.interface = interface_name();
  v.counters = session_.counters();
  v.target_pps = config_.packets_per_second;
  v.ttl = config_.ttl;
  v.dscp = config_.dscp;
  if (config_.mesh.active()) {
    v.name = config_.mesh.mesh;  // The probe label (the mesh's name).
    v.mesh = config_.mesh.mesh;
    v.member = config_.mesh.member;
  }
  return v;
}

}  // namespace mcast::exporter
