#include "exporter/receiver_probe.h"

#include <algorithm>
#include <utility>
#include <vector>

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
               SessionOptions(config.name, loop, mu, std::move(buffers))) {
  BuildSenderNames();
}

void ReceiverProbe::BuildSenderNames() {
  if (!config_.mesh.active()) {
    sender_names_ = nullptr;
    return;
  }
  auto names = std::make_shared<MeshSenderNames>(config_.mesh.member,
                                                 config_.mesh.address);
  for (size_t i = 0; i < config_.mesh.peers.size(); ++i) {
    const MeshPeer& p = config_.mesh.peers[i];
    names->AddPeer(p.name, p.address, static_cast<int>(i));
  }
  sender_names_ = std::move(names);
}

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
    v.sender_names = sender_names_;
    // Each sender's peer by one lookup: senders + peers steps, not their
    // product.
    const std::vector<MeshPeer>& peers = config_.mesh.peers;
    std::vector<int64_t> last(peers.size(), -1);
    if (!config_.is_ssm()) {
      for (const stats::SenderSnapshot& s : v.snapshot.senders) {
        const int i = sender_names_->PeerIndex(s.source);
        if (i >= 0) last[i] = std::max(last[i], s.last_packet_mono_ns);
      }
    }
    v.peers.reserve(peers.size());
    for (size_t i = 0; i < peers.size(); ++i) {
      v.peers.push_back(
          {peers[i].name, peers[i].address,
           PeerState(peers[i], last[i], v.snapshot, now_mono_ns)});
    }
  }
  return v;
}

stats::FlowState ReceiverProbe::PeerState(
    const MeshPeer& peer, int64_t last_packet_mono_ns,
    const stats::ReceiverSnapshot& snapshot, int64_t now_mono_ns) const {
  if (config_.is_ssm()) return snapshot.state;
  if (last_packet_mono_ns >= 0) {
    peers_seen_.insert(peer.address);
    return now_mono_ns - last_packet_mono_ns >
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
  BuildSenderNames();
}

}  // namespace mcast::exporter
