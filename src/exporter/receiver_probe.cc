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

void ReceiverProbe::MaybeRejoin(int64_t now_mono_ns) {
  if (config_.rejoin_interval <= absl::ZeroDuration()) return;
  if (!session_.has_socket()) {
    last_join_mono_ns_ = 0;
    return;
  }
  if (last_join_mono_ns_ == 0) {
    last_join_mono_ns_ = now_mono_ns;
    return;
  }
  if (now_mono_ns - last_join_mono_ns_ <
      absl::ToInt64Nanoseconds(config_.rejoin_interval)) {
    return;
  }
  session_.TryOpen(/*force=*/true);
  last_join_mono_ns_ = now_mono_ns;
}

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
  v.join_latency = session_.receiver().join_latency().histogram();
  v.streams = session_.receiver().streams().Snapshot(now_mono_ns);
  if (config_.mesh.active()) {
    v.name = config_.mesh.mesh;  // The probe label (the mesh's name).
    v.mesh = config_.mesh.mesh;
    v.member = config_.mesh.member;
    v.member_address = config_.mesh.address;
    v.peers.reserve(config_.mesh.peers.size());
    for (const MeshPeer& p : config_.mesh.peers) {
      v.peers.push_back(
          {p.name, p.address, PeerState(p, v.snapshot, now_mono_ns)});
    }
  }
  return v;
}

stats::FlowState ReceiverProbe::PeerState(
    const MeshPeer& peer, const stats::ReceiverSnapshot& snapshot,
    int64_t now_mono_ns) const {
  if (config_.is_ssm()) return snapshot.state;
  for (const stats::SenderSnapshot& s : snapshot.senders) {
    if (s.source != peer.address) continue;
    peers_seen_.insert(peer.address);
    return now_mono_ns - s.last_packet_mono_ns >
                   absl::ToInt64Nanoseconds(config_.stall_timeout)
               ? stats::FlowState::kStalled
               : stats::FlowState::kReceiving;
  }
  return peers_seen_.contains(peer.address) ? stats::FlowState::kStalled
                                            : stats::FlowState::kWaiting;
}

void ReceiverProbe::SetMeshPeers(std::vector<MeshPeer> peers) {
  absl::flat_hash_set<inet::IpAddress> kept;
  for (const MeshPeer& p : peers) {
    if (peers_seen_.contains(p.address)) kept.insert(p.address);
  }
  peers_seen_ = std::move(kept);
  config_.mesh.peers = std::move(peers);
}

}  // namespace mcast::exporter
