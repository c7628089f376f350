#ifndef MCAST_EXPORTER_RECEIVER_PROBE_H_
#define MCAST_EXPORTER_RECEIVER_PROBE_H_

// One persistent [[receiver]] of the exporter: its name and config (what a
// reload compares), a probe::ReceiverSession on the shared event loop, and
// the metrics view of it. The IGMP version is not the session's here: the
// exporter's one probe::IgmpVersionRegistry serves every receiver of an
// interface.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "exporter/config.h"
#include "exporter/mesh_sender_names.h"
#include "exporter/metrics_view.h"
#include "net/event_loop.h"
#include "probe/igmp6_membership_index.h"
#include "probe/igmp_membership_index.h"
#include "probe/receiver_session.h"
#include "proc/igmp6_parser.h"
#include "proc/igmp_parser.h"

namespace mcast::exporter {

class ReceiverProbe {
 public:
  // The reader registered on `loop` locks `mu`, which guards the probe.
  // `buffers` (may be null) are shared with the other receivers on `loop`.
  ReceiverProbe(const ReceiverConfig& config, net::EventLoop* loop,
                absl::Mutex* mu,
                std::shared_ptr<net::ReceiveBuffers> buffers = nullptr);
  ReceiverProbe(const ReceiverProbe&) = delete;
  ReceiverProbe& operator=(const ReceiverProbe&) = delete;

  // Opens and joins if there is no socket yet (or `force`); failures are
  // logged once and retried on the next call.
  void TryOpen(bool force = false) { session_.TryOpen(force); }
  void Close() { session_.Close(); }
  void Tick(int64_t mono_ns) { session_.Tick(mono_ns); }
  // With a rejoin_interval: leaves and joins again once it has passed since
  // the last join (the join time is measured again).
  void MaybeRejoin(int64_t now_mono_ns);
  // Membership and IGMP version in effect, from /proc/net/igmp.
  void UpdateMembership(const probe::IgmpMembershipIndex& igmp) {
    session_.UpdateMembership(igmp);
  }
  // An IPv6 receiver's membership, from /proc/net/igmp6, and the MLD
  // version in effect read back (probe::ReceiverSession::UpdateMembership6).
  void UpdateMembership6(const probe::Igmp6MembershipIndex& igmp6) {
    session_.UpdateMembership6(igmp6);
  }

  // The configured interface, or the one the join went out on.
  std::string interface_name() const { return session_.interface_name(); }
  // The joined socket's interface; 0 without a socket.
  int interface_index() const {
    return session_.has_socket()
               ? session_.receiver().socket().interface_index()
               : 0;
  }
  const ReceiverConfig& config() const { return config_; }
  ReceiverProbeView View(int64_t now_mono_ns) const;

  // A reload that only adds or removes peers of an ASM mesh receiver: the
  // flow keeps running with its counters; peers still configured keep what
  // was seen of them (a new one starts waiting).
  void SetMeshPeers(std::vector<MeshPeer> peers);

 private:
  // A mesh peer's state here: an SSM receiver's own flow state; for an ASM
  // one, the peer's sender among the receiver's (received within
  // stall_timeout: receiving), and once seen it stays at least stalled,
  // even after the stats forget it (sender_expiry).
  // `last_packet_mono_ns`: the peer's newest packet among the snapshot's
  // senders, or -1 if none is there.
  stats::FlowState PeerState(const MeshPeer& peer, int64_t last_packet_mono_ns,
                             const stats::ReceiverSnapshot& snapshot,
                             int64_t now_mono_ns) const;
  // Builds sender_names_ from config_.mesh (start, SetMeshPeers).
  void BuildSenderNames();

  ReceiverConfig config_;
  // Mesh peers (ASM) a packet was seen from since the receiver started.
  mutable absl::flat_hash_set<inet::IpAddress> peers_seen_;
  // A mesh receiver's members by address (null for a plain receiver).
  std::shared_ptr<const MeshSenderNames> sender_names_;
  probe::ReceiverSession session_;
  int64_t last_join_mono_ns_ = 0;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_RECEIVER_PROBE_H_
