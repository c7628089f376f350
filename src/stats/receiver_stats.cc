#include "stats/receiver_stats.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <utility>

namespace mcast::stats {

ReceiverStats::ReceiverStats(const ReceiverStatsOptions& options)
    : options_(options),
      stall_(options.stall_timeout_ns, options.gap_log_capacity) {
  options_.max_senders = std::max<size_t>(options_.max_senders, 1);
  int64_t interval =
      std::min(options_.stall_timeout_ns, options_.sequence.max_reorder_age_ns);
  if (options_.sender_expiry_ns > 0) {
    interval = std::min(interval, options_.sender_expiry_ns);
  }
  if (options_.tick_only_when_due && interval > 0) {
    min_due_interval_ns_ = interval;
  }
}

namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

int64_t SaturatingAdd(int64_t t, int64_t d) {
  return d > 0 && t > kNever - d ? kNever : t + d;
}

// History class of a run or address: its packet count by powers of two, so
// 1 packet < 2-3 < 4-7 < ... and among one class the idlest goes first.
int History(uint64_t packets) { return std::bit_width(packets); }

}  // namespace

size_t ReceiverStats::RunBytes(const SequenceTracker::Options& sequence) {
  // The Run object and its slot in runs_ (key, pointer, control byte).
  return sizeof(Run) + SequenceTracker::HeapBytes(sequence) +
         sizeof(std::pair<const RunKey, std::unique_ptr<Run>>) + 1;
}

size_t ReceiverStats::SourceBytes() {
  // A node of sources_ plus its slot (a pointer and a control byte).
  return sizeof(std::pair<const inet::IpAddress, Source>) + sizeof(void*) + 1;
}

size_t ReceiverStats::WorstCaseBytes(const ReceiverStatsOptions& options) {
  const size_t runs = std::max<size_t>(options.max_senders, 1);
  // Swiss tables grow by doubling at 7/8 load: slots are at most about
  // 2.3 times the elements; count the slot part of each entry 3 times.
  const size_t run_slot = sizeof(std::pair<const RunKey, std::unique_ptr<Run>>);
  const size_t source_slot = sizeof(void*);
  return runs * (RunBytes(options.sequence) + 2 * run_slot) +
         2 * runs * (SourceBytes() + 2 * source_slot) + sizeof(ReceiverStats);
}

void ReceiverStats::RetireRun(Run* run) {
  run->tracker.Finish();
  Source* source = run->source;
  source->retired.Add(run->tracker.counters());
  if (run->id == source->current_id) {
    // Shown while the address has no live run.
    source->view.first_seq = run->tracker.first_seq();
    source->view.last_seq = run->tracker.highest_seq();
    source->view.finished = run->finished;
    source->view.jitter_seconds = run->jitter.jitter_ns() * 1e-9;
  }
  --source->live_runs;
  if (last_run_ == run) last_run_ = nullptr;
  runs_.erase(RunKey{source->address, run->id});
}

void ReceiverStats::EvictRun() {
  Run* victim = nullptr;
  for (const auto& [key, run] : runs_) {
    if (victim == nullptr) {
      victim = run.get();
      continue;
    }
    const int h = History(run->tracker.counters().received);
    const int hv = History(victim->tracker.counters().received);
    if (h < hv ||
        (h == hv && run->last_seen_mono_ns < victim->last_seen_mono_ns)) {
      victim = run.get();
    }
  }
  if (victim == nullptr) return;
  ++evicted_runs_;
  // The address stays (its counters too) until room is needed for another
  // address or it expires, so its exported counters never go down.
  RetireRun(victim);
}

void ReceiverStats::ForgetSource(Source* source) {
  evicted_sequence_.Add(source->retired);
  evicted_bytes_ += source->view.bytes;
  evicted_restarts_ += source->view.restarts;
  evicted_remarked_ += source->view.dscp_remarked;
  sources_.erase(source->address);
}

void ReceiverStats::EvictSource() {
  // Runs are at most max_senders - 1 here (a run was just evicted if
  // needed), so at least one address has no live run.
  Source* victim = nullptr;
  for (auto& [address, source] : sources_) {
    if (source.live_runs != 0) continue;
    if (victim == nullptr) {
      victim = &source;
      continue;
    }
    const int h = History(source.retired.received);
    const int hv = History(victim->retired.received);
    if (h < hv || (h == hv && source.view.last_packet_mono_ns <
                                  victim->view.last_packet_mono_ns)) {
      victim = &source;
    }
  }
  if (victim == nullptr) return;
  ++evicted_sources_;
  ForgetSource(victim);
}

int64_t ReceiverStats::ExpireSources(int64_t mono_ns) {
  if (options_.sender_expiry_ns <= 0) return kNever;
  auto expired = [&](const Source& s) {
    return mono_ns - s.view.last_packet_mono_ns >= options_.sender_expiry_ns;
  };
  std::vector<Run*> retire;
  for (const auto& [key, run] : runs_) {
    if (expired(*run->source)) retire.push_back(run.get());
  }
  for (Run* run : retire) RetireRun(run);
  std::vector<Source*> forget;
  int64_t due = kNever;
  for (auto& [address, source] : sources_) {
    if (expired(source)) {
      forget.push_back(&source);
    } else {
      due = std::min(due, SaturatingAdd(source.view.last_packet_mono_ns,
                                        options_.sender_expiry_ns));
    }
  }
  for (Source* source : forget) {
    ++expired_sources_;
    ForgetSource(source);
  }
  return due;
}

ReceiverStats::Run* ReceiverStats::FindOrCreateRun(const ReceivedPacket& p) {
  const uint32_t id = p.header.sender_id;
  if (last_run_ != nullptr && last_run_->id == id &&
      last_run_->source->address == p.source) {
    return last_run_;
  }
  RunKey key{p.source, id};
  if (auto it = runs_.find(key); it != runs_.end()) return it->second.get();

  if (runs_.size() >= options_.max_senders) EvictRun();
  auto sit = sources_.find(p.source);
  if (sit == sources_.end()) {
    if (sources_.size() >= max_sources()) EvictSource();
    sit = sources_.try_emplace(p.source).first;
    sit->second.address = p.source;
    sit->second.view.source = p.source;
  } else if (sit->second.current_id != id) {
    ++sit->second.view.restarts;
    // The run that was current is old now: it retires max_reorder_age
    // after its own last packet, which may be before this one.
    tick_due_ns_ = std::numeric_limits<int64_t>::min();
  }
  Source& source = sit->second;
  source.current_id = id;
  ++source.live_runs;
  auto run = std::make_unique<Run>(options_.sequence, &source, id);
  Run* raw = run.get();
  runs_.emplace(key, std::move(run));
  return raw;
}

void ReceiverStats::OnPacket(const ReceivedPacket& p) {
  stall_.OnPacket(p.mono_ns, p.real_ns);
  // Whatever this packet starts (a stall timeout, a gap's or suspect's
  // age, an address's expiry) is due no sooner than this.
  if (min_due_interval_ns_ > 0) {
    tick_due_ns_ =
        std::min(tick_due_ns_, SaturatingAdd(p.mono_ns, min_due_interval_ns_));
  }
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
  if (mono_ns < tick_due_ns_) return;  // Nothing below would change.
  stall_.Tick(mono_ns);
  int64_t due = stall_.NextTickDueNs();
  std::vector<Run*> retire;
  for (const auto& [key, run] : runs_) {
    run->tracker.Expire(mono_ns);
    due = std::min(due, run->tracker.NextExpiryNs());
    // An old run is kept for the reorder window after its last packet, so
    // its stragglers are classified; then it is folded into its address.
    if (run->id != run->source->current_id) {
      if (mono_ns - run->last_seen_mono_ns >=
          options_.sequence.max_reorder_age_ns) {
        retire.push_back(run.get());
      } else {
        due =
            std::min(due, SaturatingAdd(run->last_seen_mono_ns,
                                        options_.sequence.max_reorder_age_ns));
      }
    }
  }
  for (Run* run : retire) RetireRun(run);
  due = std::min(due, ExpireSources(mono_ns));
  // A deadline of a run retired since is only an early full Tick.
  tick_due_ns_ =
      min_due_interval_ns_ > 0 ? due : std::numeric_limits<int64_t>::min();
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
  s.evicted_senders = evicted_sources_;
  s.expired_senders = expired_sources_;
  s.last_packet_real_ns = stall_.last_packet_real_ns();

  absl::flat_hash_map<inet::IpAddress, size_t> index;
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
