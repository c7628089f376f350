#ifndef MCAST_PROBE_RECEIVER_SESSION_H_
#define MCAST_PROBE_RECEIVER_SESSION_H_

// A ReceiverSpec running: a ProbeReceiver (joined socket and statistics)
// registered as a reader on a shared event loop, its membership and IGMP
// version in effect read back from /proc/net/igmp (IPv6: /proc/net/igmp6,
// and the MLD version from force_mld_version and the interface's report
// counters, proc/mld_version_read_back.h), and, for one-shot front ends,
// the IGMP or MLD version forced for the join.
//
// The socket is replaceable: when the interface disappears the session
// closes (the flow stalls), when it comes back (maybe with a new index) the
// session joins again. The statistics survive all of it.
//
// IGMP version: with force_igmp_version the session owns an
// IgmpVersionRegistry for its one interface (routed when the spec names
// none), forces before joining and restores after leaving; for an IPv6 group
// the same registry forces force_mld_version instead. Front ends with
// many receivers share one registry of their own instead, since receivers
// on one interface share its one sysctl.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "net/event_loop.h"
#include "probe/igmp6_membership_index.h"
#include "probe/igmp_membership.h"
#include "probe/igmp_membership_index.h"
#include "probe/igmp_version_registry.h"
#include "probe/probe_receiver.h"
#include "probe/receiver_spec.h"
#include "probe/session_log.h"
#include "proc/igmp6_parser.h"
#include "proc/igmp_parser.h"
#include "proc/mld_version_read_back.h"

namespace mcast::probe {

// The option mapping of a spec, written once for every front end.
net::ReceiverSocketOptions ReceiverSocketOptionsFor(const ReceiverSpec& spec);

struct ReceiverSessionOptions {
  net::EventLoop* loop = nullptr;
  // Locked around the session's reader callback when set: the front end's
  // mutex guarding the session against other threads (exporter scrapes).
  absl::Mutex* mu = nullptr;
  SessionLog log;  // Null: util::Log.
  // Receive errors go to `log` too; else only to receive_error() (a live
  // dashboard shows it and stderr lines would tear the frame).
  bool log_receive_errors = true;
  // The session forces spec.igmp_version (IPv4 group) or spec.mld_version
  // (IPv6 group) on its interface (see above).
  bool force_igmp_version = false;
  // State directory and so on; the protocol follows the group's family.
  // Its proc_root is also where the MLD read-back reads.
  net::IgmpVersionGuard::Options igmp_guard;
  // Set: the socket receives into these, shared with the other sessions
  // on the same loop (net/receive_buffers.h). Null: its own.
  std::shared_ptr<net::ReceiveBuffers> receive_buffers;
};

class ReceiverSession {
 public:
  ReceiverSession(const ReceiverSpec& spec, ReceiverSessionOptions options);
  // Leaves the group, then restores the IGMP version it forced.
  ~ReceiverSession();
  ReceiverSession(const ReceiverSession&) = delete;
  ReceiverSession& operator=(const ReceiverSession&) = delete;

  // Picks the interface (forcing the IGMP version first when asked), joins
  // and registers the socket on the loop. Any socket open before is closed
  // first. On failure there is no socket and the status says why:
  //   Unavailable  no interface named and no route to the group
  //   others       the join's (see net::ReceiverSocket::Open)
  absl::Status Open();
  // Open for long-running front ends: only when there is no socket (or
  // `force`); a new failure is logged once ("... (retrying)"), and the next
  // call tries again.
  void TryOpen(bool force = false);
  void Close();
  bool has_socket() const { return receiver_.has_socket(); }

  void Tick(int64_t mono_ns) { receiver_.Tick(mono_ns); }

  // Membership and IGMP version in effect, from a /proc/net/igmp read
  // shared by every session of a front end...
  // (Each ignores groups of the other family: an IPv4 group's membership
  // is in /proc/net/igmp, an IPv6 group's in /proc/net/igmp6.)
  void UpdateMembership(const std::vector<proc::IgmpInterface>& igmp);
  // The same from that read indexed once for all the sessions.
  void UpdateMembership(const IgmpMembershipIndex& igmp);
  // The IPv6 one also reads the interface's force_mld_version and MLD
  // report counters for the MLD version in effect.
  void UpdateMembership6(const std::vector<proc::Igmp6Entry>& igmp6);
  // The same from a /proc/net/igmp6 read indexed once for all the sessions.
  void UpdateMembership6(const Igmp6MembershipIndex& igmp6);
  // ...or read by this one (the family's file). On a read error the last
  // values stay.
  absl::Status RefreshMembership();
  // Seen in /proc/net/igmp (igmp6) at the last update.
  bool joined() const { return membership_.joined; }
  // In effect on the interface at the last update; 0 = unknown. IPv4
  // groups only.
  int igmp_version() const { return membership_.igmp_version; }
  // MLD version in effect at the last update (IPv6 groups); 0 = unknown.
  int mld_version() const { return mld_version_; }

  // The spec's interface, or the one the join went out on.
  std::string interface_name() const;
  const ReceiverSpec& spec() const { return spec_; }
  ProbeReceiver& receiver() { return receiver_; }
  const ProbeReceiver& receiver() const { return receiver_; }
  // The latest receive error; empty when there was none.
  const std::string& receive_error() const { return receive_error_; }

 private:
  void Log(util::LogLevel level, const std::string& message) const {
    LogTo(options_.log, level, message);
  }
  void OnReadable();
  // Takes the interface's MLD report counters as the read-back's snapshot.
  void StartMldReadBack(const std::string& iface);

  ReceiverSpec spec_;
  ReceiverSessionOptions options_;
  // Declared before receiver_: destroyed after the socket left the group.
  std::unique_ptr<IgmpVersionRegistry> igmp_;
  ProbeReceiver receiver_;
  int registered_fd_ = -1;
  std::string open_error_;
  std::string receive_error_;
  IgmpMembership membership_;
  proc::MldVersionReadBack mld_read_back_;
  int mld_version_ = 0;
};

}  // namespace mcast::probe

#endif  // MCAST_PROBE_RECEIVER_SESSION_H_
