#ifndef MCAST_PROBE_PROBE_SENDER_H_
#define MCAST_PROBE_PROBE_SENDER_H_

// A paced stream of probe packets: the sending half of mcast-send and of
// every exporter sender probe. It owns pre-encoded datagram buffers and
// patches only sequence, flags and timestamp per packet, so the hot path
// never allocates; due packets leave in batches of up to kBatch.
//
// Sequence numbers count packets that actually left. A batch the kernel
// refuses (ENOBUFS, no route, interface down) is counted as send errors and
// its time slots are skipped: receivers then see a rate dip or a stall, not
// network loss that never happened on the network.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "packet/header.h"
#include "probe/datagram_sink.h"
#include "probe/pacer.h"

namespace mcast::probe {

struct ProbeSenderOptions {
  double packets_per_second = 25;
  size_t datagram_size = 200;  // kHeaderSize..kMaxDatagramSize
  uint8_t ttl = 100;
  uint8_t dscp = 0;
  bool realtime_clock = false;
  std::optional<uint64_t> count;  // Finite run; nullopt = forever.
  uint32_t sender_id = 0;         // 0 = pick a random non-zero id.
  // SendDue() asks to be called again no sooner than this after the call.
  // A wake-up costs syscalls (epoll_wait, the timerfd re-arm)
  // before the packet's own sendmmsg: at 100k pps, one wake-up per packet
  // left the sender 8-20 % short of its rate on a busy 2-core VM. Above
  // 1 / spacing packets per second (20k pps at 50 us) packets therefore
  // leave in batches, up to one spacing late; below it every packet keeps
  // its own wake-up. 0 = one wake-up per deadline.
  int64_t min_wake_spacing_ns = 50'000;
};

struct SenderCounters {
  uint64_t packets = 0;
  uint64_t bytes = 0;
  uint64_t errors = 0;
  std::string last_error;
};

class ProbeSender {
 public:
  static constexpr size_t kBatch = 64;
  // Packets sent per SendDue call at most, so one fast probe cannot starve
  // the others sharing an event loop.
  static constexpr uint64_t kMaxPerCall = 1024;

  ProbeSender(const ProbeSenderOptions& options, DatagramSink* sink,
              int64_t start_mono_ns);

  // Sends what is due at now_mono_ns. Returns the monotonic time to call
  // again, or nullopt once a finite run is complete: now_mono_ns when
  // packets are still due (kMaxPerCall reached), else the next deadline but
  // not before now_mono_ns + min_wake_spacing_ns.
  std::optional<int64_t> SendDue(int64_t now_mono_ns);

  // SendDue in two halves, for a scheduler that sends several senders'
  // datagrams in one sendmmsg (probe::SendScheduler): PrepareDue patches up
  // to kBatch of the packets due at now_mono_ns into the sender's own
  // buffers and returns views of them (empty: nothing due); the views stay
  // valid until CommitPrepared, which must come before the next Prepare.
  // A monotonic-clock sender stamps them with now_mono_ns, the caller's
  // read of CLOCK_MONOTONIC for the wake-up (one read for every flow of a
  // scheduler's wake-up instead of one per flow: they leave in the same
  // sendmmsg); a realtime one reads its clock.
  absl::Span<const absl::Span<const uint8_t>> PrepareDue(int64_t now_mono_ns);
  // `sent` of the prepared packets left (a prefix); the rest were refused
  // with `error`: they count as send errors and their time slots are
  // skipped, and the next packets get the next sequence numbers, exactly as
  // in SendDue.
  void CommitPrepared(size_t sent, absl::string_view error);
  // When to call again after a commit at now_mono_ns, as SendDue returns.
  std::optional<int64_t> NextWake(int64_t now_mono_ns) const;

  const SenderCounters& counters() const { return counters_; }
  uint32_t sender_id() const { return options_.sender_id; }
  const Pacer& pacer() const { return pacer_; }
  const ProbeSenderOptions& options() const { return options_; }
  bool done() const { return pacer_.done(); }

 private:
  // Patches min(max, kBatch) packets into buffers_ and views_, stamped
  // with `mono_ns` (monotonic senders; < 0: read the clock).
  absl::Span<const absl::Span<const uint8_t>> Prepare(uint64_t max,
                                                      int64_t mono_ns = -1);

  ProbeSenderOptions options_;
  DatagramSink* sink_;
  Pacer pacer_;
  uint64_t next_sequence_ = 0;
  std::vector<std::vector<uint8_t>> buffers_;
  std::vector<absl::Span<const uint8_t>> views_;  // The prepared packets.
  SenderCounters counters_;
};

uint32_t RandomSenderId();

}  // namespace mcast::probe

#endif  // MCAST_PROBE_PROBE_SENDER_H_
