#include "probe/probe_sender.h"

#include <time.h>

#include <algorithm>

#include "absl/random/random.h"

namespace mcast::probe {
namespace {

int64_t Now(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

uint32_t RandomSenderId() {
  absl::BitGen gen;
  return absl::Uniform<uint32_t>(gen, 1, UINT32_MAX);
}

ProbeSender::ProbeSender(const ProbeSenderOptions& options, DatagramSink* sink,
                         int64_t start_mono_ns)
    : options_(options),
      sink_(sink),
      pacer_(options.packets_per_second, start_mono_ns, options.count) {
  if (options_.sender_id == 0) options_.sender_id = RandomSenderId();
  options_.min_wake_spacing_ns =
      std::max<int64_t>(0, options_.min_wake_spacing_ns);
  options_.datagram_size = std::clamp(
      options_.datagram_size, packet::kHeaderSize, packet::kMaxDatagramSize);
  packet::Header h;
  h.ttl = options_.ttl;
  h.dscp = options_.dscp;
  h.sender_id = options_.sender_id;
  double interval_us = 1e6 / options_.packets_per_second;
  h.interval_us =
      interval_us > UINT32_MAX ? 0 : static_cast<uint32_t>(interval_us);
  buffers_.assign(kBatch, std::vector<uint8_t>(options_.datagram_size));
  for (auto& b : buffers_) packet::EncodeDatagram(h, absl::MakeSpan(b));
  views_.reserve(kBatch);
}

absl::Span<const absl::Span<const uint8_t>> ProbeSender::Prepare(
    uint64_t max, int64_t mono_ns) {
  const uint8_t base_flags =
      options_.realtime_clock ? packet::kFlagRealtimeClock : 0;
  const clockid_t clock =
      options_.realtime_clock ? CLOCK_REALTIME : CLOCK_MONOTONIC;
  const size_t n = static_cast<size_t>(std::min<uint64_t>(max, kBatch));
  views_.clear();
  if (n == 0) return views_;
  // One clock read for the batch: its packets leave in one sendmmsg, and
  // the reads a loop apart differed by nanoseconds.
  const uint64_t now = static_cast<uint64_t>(
      !options_.realtime_clock && mono_ns >= 0 ? mono_ns : Now(clock));
  for (size_t i = 0; i < n; ++i) {
    uint8_t flags = base_flags;
    if (pacer_.IsLast(pacer_.sent() + i)) flags |= packet::kFlagLastPacket;
    auto& buf = buffers_[i];
    packet::PatchHeader(flags, next_sequence_ + i, now, absl::MakeSpan(buf));
    views_.emplace_back(buf.data(), buf.size());
  }
  return views_;
}

absl::Span<const absl::Span<const uint8_t>> ProbeSender::PrepareDue(
    int64_t now_mono_ns) {
  return Prepare(pacer_.Due(now_mono_ns), now_mono_ns);
}

void ProbeSender::CommitPrepared(size_t sent, absl::string_view error) {
  const size_t n = views_.size();
  sent = std::min(sent, n);
  if (sent < n) {
    // Skip the refused slots; the next ones get the next numbers, so the
    // receiver's sequence stays contiguous. Sequence numbers were patched
    // for the whole batch: the unsent tail is re-patched next time, so
    // nothing to undo here.
    counters_.errors += n - sent;
    counters_.last_error.assign(error.data(), error.size());
  }
  counters_.packets += sent;
  counters_.bytes += sent * options_.datagram_size;
  next_sequence_ += sent;
  pacer_.MarkSent(n);
  views_.clear();
}

std::optional<int64_t> ProbeSender::NextWake(int64_t now_mono_ns) const {
  if (pacer_.done()) return std::nullopt;
  const int64_t next = pacer_.NextDeadline();
  // Still behind after kMaxPerCall packets: catch up at once.
  if (next <= now_mono_ns) return now_mono_ns;
  return std::max(next, now_mono_ns + options_.min_wake_spacing_ns);
}

std::optional<int64_t> ProbeSender::SendDue(int64_t now_mono_ns) {
  uint64_t budget = std::min(pacer_.Due(now_mono_ns), kMaxPerCall);
  while (budget > 0) {
    absl::Span<const absl::Span<const uint8_t>> views = Prepare(budget);
    const size_t n = views.size();
    size_t done = 0;
    while (done < n) {
      absl::StatusOr<int> sent = sink_->SendBatch(views.subspan(done));
      if (!sent.ok() || *sent <= 0) {
        CommitPrepared(done, sent.ok() ? absl::string_view("sent nothing")
                                       : sent.status().message());
        break;
      }
      done += static_cast<size_t>(*sent);
    }
    if (done < n) break;
    CommitPrepared(done, {});
    budget -= n;
  }
  return NextWake(now_mono_ns);
}

}  // namespace mcast::probe
