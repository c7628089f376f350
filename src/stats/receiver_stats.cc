#include "stats/receiver_stats.h"

#include <algorithm>
#include <limits>

namespace mcast::stats {

ReceiverStats::ReceiverStats(const ReceiverStatsOptions& options)
    : options_(options),
      stall_(options.stall_timeout_ns, options.gap_log_capacity) {
  options_.max_senders = std::max<size_t>(options_.max_senders, 1);
}

void ReceiverStats::RetireRun(Run* run) {
  run->tracker.Finish();
  Source* source = run->source;
  source->retired.Add(run->tracker.counters());
  --source->live_runs;
  if (last_run_ == run) last_run_ = nullptr;
  runs_.erase(RunKey{source->address, run->id});
}

void ReceiverStats::EvictIdlestRun() {
  Run* idlest = nullptr;
  for (const auto& [key, run] : runs_) {
    if (idlest == nullptr ||
        run->last_seen_mono_ns < idlest->last_seen_mono_ns) {
      idlest = run.get();
    }
  }
  if (idlest == nullptr) return;
  ++evicted_runs_;
  Source* source = idlest->source;
  RetireRun(idlest);
  if (source->live_runs == 0) {
    // Nothing left to track for this address: keep its counts in the
    // totals and forget it, so addresses are bounded too.
    evicted_sequence_.Add(source->retired);
    evicted_bytes_ += source->view.bytes;
    evicted_restarts_ += source->view.restarts;
    evicted_remarked_ += source->view.dscp_remarked;
    sources_.erase(source->address);
  }
}

ReceiverStats::Run* ReceiverStats::FindOrCreateRun(const ReceivedPacket& p) {
  const uint32_t id = p.header.sender_id;
  if (last_run_ != nullptr && last_run_->id == id &&
      last_run_->source->address == p.source) {
    return last_run_;
  }
  RunKey key{p.source, id};
  if (auto it = runs_.find(key); it != runs_.end()) return it->second.get();

  if (runs_.size() >= options_.max_senders) EvictIdlestRun();
  auto [sit, inserted] = sources_.try_emplace(p.source);
  Source& source = sit->second;
  if (inserted) {
    source.address = p.source;
    source.view.source = p.source;
  } else if (source.current_id != id) {
    ++source.view.restarts;
  }
  source.current_id = id;
  ++source.live_runs;
  auto run = std::make_unique<Run>(options_.sequence, &source, id);
  Run* raw = run.get();
  runs_.emplace(key, std::move(run));
  return raw;
}

void ReceiverStats::OnPacket(const ReceivedPacket& p) {
  stall_.OnPacket(p.mono_ns, p.real_ns);
  Run* run = FindOrCreateRun(p);
  last_run_ = run;
  run->last_seen_mono_ns = p.mono_ns;
  const packet::Header& h = p.header;
  Arrival arrival = run->tracker.OnPacket(h.sequence, p.mono_ns, h.interval_us);
  const bool unique =
      arrival == Arrival::kInOrder || arrival == Arrival::kReordered;

  SenderSnapshot& v = run->source->view;
  v.bytes += p.size;
  v.last_packet_mono_ns = p.mono_ns;
  v.last_packet_real_ns = p.real_ns;
  // A held jump may be a forgery: nothing else in it is believed yet.
  if (arrival == Arrival::kHeld) return;
  if (h.last_packet()) run->finished = true;
  if (p.ttl >= 0) {
    int hops = static_cast<int>(h.ttl) - p.ttl;
    if (v.ttl >= 0 && hops != v.hops) ++v.hop_changes;
    v.hops = hops;
    v.ttl = p.ttl;
  }
  v.sender_ttl = h.ttl;
  if (p.tos >= 0) {
    v.dscp = p.tos >> 2;
    v.last_remarked = v.dscp != h.dscp;
    v.dscp_remarked += v.last_remarked;
  }
  v.sender_dscp = h.dscp;
  if (run->id == run->source->current_id) {
    v.interval_us = h.interval_us;
    v.realtime_clock = h.realtime_clock();
  }
  if (unique) {
    run->jitter.OnPacket(static_cast<int64_t>(h.timestamp_ns), p.real_ns);
    if (h.realtime_clock()) {
      // Modulo 2^64, read as signed: exact for real clocks, no overflow for
      // any timestamp a packet carries.
      const int64_t delay_ns = static_cast<int64_t>(
          static_cast<uint64_t>(p.real_ns) - h.timestamp_ns);
      v.delay.Observe(static_cast<double>(delay_ns) * 1e-9);
    }
  }
}

void ReceiverStats::Tick(int64_t mono_ns) {
  stall_.Tick(mono_ns);
  std::vector<Run*> retire;
  for (const auto& [key, run] : runs_) {
    run->tracker.Expire(mono_ns);
    // An old run is kept for the reorder window after its last packet, so
    // its stragglers are classified; then it is folded into its address.
    if (run->id != run->source->current_id &&
        mono_ns - run->last_seen_mono_ns >=
            options_.sequence.max_reorder_age_ns) {
      retire.push_back(run.get());
    }
  }
  for (Run* run : retire) RetireRun(run);
}

void ReceiverStats::Finish() {
  for (const auto& [key, run] : runs_) run->tracker.Finish();
}

ReceiverSnapshot ReceiverStats::Snapshot(int64_t now_mono_ns) const {
  ReceiverSnapshot s;
  s.state = stall_.state();
  s.stalls = stall_.stalls();
  s.stalled_seconds = static_cast<double>(stall_.StalledNs(now_mono_ns)) * 1e-9;
  s.gaps = stall_.GapLog();
  s.foreign = foreign_;
  s.evicted_runs = evicted_runs_;
  s.last_packet_real_ns = stall_.last_packet_real_ns();

  absl::flat_hash_map<net::IpAddress, size_t> index;
  s.senders.reserve(sources_.size());
  for (const auto& [address, source] : sources_) {
    index[address] = s.senders.size();
    s.senders.push_back(source.view);
    s.senders.back().sequence = source.retired;
    s.senders.back().sender_id = source.current_id;
  }
  for (const auto& [key, run] : runs_) {
    SenderSnapshot& v = s.senders[index[key.source]];
    v.sequence.Add(run->tracker.counters());
    if (run->id == run->source->current_id) {
      v.first_seq = run->tracker.first_seq();
      v.last_seq = run->tracker.highest_seq();
      v.finished = run->finished;
      v.jitter_seconds = run->jitter.jitter_ns() * 1e-9;
    }
  }
  std::sort(s.senders.begin(), s.senders.end(),
            [](const SenderSnapshot& a, const SenderSnapshot& b) {
              return a.source.ToString() < b.source.ToString();
            });

  s.totals = evicted_sequence_;
  s.total_bytes = evicted_bytes_;
  s.total_restarts = evicted_restarts_;
  s.total_dscp_remarked = evicted_remarked_;
  for (const SenderSnapshot& v : s.senders) {
    s.totals.Add(v.sequence);
    s.total_bytes += v.bytes;
    s.total_restarts += v.restarts;
    s.total_dscp_remarked += v.dscp_remarked;
  }
  return s;
}

}  // namespace mcast::stats
