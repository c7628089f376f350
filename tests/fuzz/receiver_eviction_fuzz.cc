// The receiver statistics under sender-id floods (issue 10 #3): packets
// from a few addresses and ids, small tables, ticks and expiry. Invariants
// after every step: tables stay within max_senders runs and 2 * max_senders
// addresses, the totals count every packet, no total and no counter of a
// sender still shown ever goes down, and a sender is never forgotten
// without being counted as evicted or expired.
#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "inet/ip_address.h"
#include "stats/receiver_stats.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

struct Seen {
  uint64_t received, unique, lost, bytes, restarts;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  mcast::stats::ReceiverStatsOptions o;
  o.max_senders = data[0] % 6 + 1;
  o.stall_timeout_ns = 500'000'000;
  o.sender_expiry_ns = 2'000'000'000;
  o.sequence.max_reorder_age_ns = 100'000'000;
  o.sequence.max_reorder_packets = 16;
  mcast::stats::ReceiverStats r(o);

  int64_t now = 1'000'000'000;
  uint64_t fed = 0;
  std::map<std::pair<int, uint32_t>, uint64_t> next_seq;
  std::map<std::string, Seen> shown;
  mcast::stats::ReceiverSnapshot last;
  for (size_t i = 1; i + 4 <= size; i += 4) {
    const int addr = data[i] % 24;
    const uint32_t id = data[i + 1] % 8 + 1;
    const uint8_t step = data[i + 2];
    now += static_cast<int64_t>(data[i + 3]) * 10'000'000;  // 0-2.55 s
    if (step == 0xff) {
      r.Tick(now);
    } else {
      uint64_t& seq = next_seq[{addr, id}];
      // Small forward and backward steps: loss, reorder, duplicates.
      seq += static_cast<uint64_t>(static_cast<int64_t>(step % 16) - 4);
      mcast::stats::ReceivedPacket p;
      p.source = mcast::inet::IpAddress::FromV4(
          in_addr{htonl(0x0a090000u | static_cast<uint32_t>(addr))});
      p.header.sender_id = id;
      p.header.sequence = seq;
      p.header.ttl = 64;
      p.size = 100;
      p.mono_ns = p.real_ns = now;
      r.OnPacket(p);
      ++fed;
    }
    Check(r.tracked_runs() <= o.max_senders);
    Check(r.tracked_senders() <= 2 * o.max_senders);
    mcast::stats::ReceiverSnapshot s = r.Snapshot(now);
    Check(s.totals.received == fed);
    Check(s.total_bytes == fed * 100);
    Check(s.totals.unique >= last.totals.unique);
    Check(s.totals.lost >= last.totals.lost);
    Check(s.total_restarts >= last.total_restarts);
    Check(s.evicted_runs >= last.evicted_runs);
    const uint64_t forgotten_before =
        last.evicted_senders + last.expired_senders;
    const uint64_t forgotten = s.evicted_senders + s.expired_senders;
    Check(forgotten >= forgotten_before);
    std::map<std::string, Seen> now_shown;
    for (const auto& v : s.senders) {
      Seen n{v.sequence.received, v.sequence.unique, v.sequence.lost, v.bytes,
             v.restarts};
      Check(n.unique <= n.received);
      auto it = shown.find(v.source.ToString());
      // Unless an address was forgotten (and then came back from zero), a
      // sender still shown only grows.
      if (it != shown.end() && forgotten == forgotten_before) {
        Check(n.received >= it->second.received);
        Check(n.unique >= it->second.unique);
        Check(n.lost >= it->second.lost);
        Check(n.bytes >= it->second.bytes);
        Check(n.restarts >= it->second.restarts);
      }
      now_shown[v.source.ToString()] = n;
    }
    // Every address that vanished was counted as forgotten.
    size_t vanished = 0;
    for (const auto& [address, seen] : shown)
      vanished += !now_shown.count(address);
    Check(vanished <= forgotten - forgotten_before);
    shown = std::move(now_shown);
    last = std::move(s);
  }
  return 0;
}
