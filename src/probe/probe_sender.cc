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

std::optional<int64_t> ProbeSender::SendDue(int64_t now_mono_ns) {
  const uint8_t base_flags =
      options_.realtime_clock ? packet::kFlagRealtimeClock : 0;
  const clockid_t clock =
      options_.realtime_clock ? CLOCK_REALTIME : CLOCK_MONOTONIC;
  uint64_t budget = std::min(pacer_.Due(now_mono_ns), kMaxPerCall);
  while (budget > 0) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(budget, kBatch));
    views_.clear();
    for (size_t i = 0; i < n; ++i) {
      uint8_t flags = base_flags;
      if (pacer_.IsLast(pacer_.sent() + i)) flags |= packet::kFlagLastPacket;
      auto& buf = buffers_[i];
      packet::PatchHeader(flags, next_sequence_ + i,
                          static_cast<uint64_t>(Now(clock)),
                          absl::MakeSpan(buf));
      views_.emplace_back(buf.data(), buf.size());
    }
    size_t done = 0;
    while (done < n) {
      absl::StatusOr<int> sent =
          sink_->SendBatch(absl::MakeConstSpan(views_).subspan(done));
      if (!sent.ok() || *sent <= 0) {
        // Skip the refused slots; the next ones get the next numbers, so
        // the receiver's sequence stays contiguous.
        counters_.errors += n - done;
        counters_.last_error =
            sent.ok() ? "sent nothing" : std::string(sent.status().message());
        break;
      }
      done += static_cast<size_t>(*sent);
    }
    counters_.packets += done;
    counters_.bytes += done * options_.datagram_size;
    next_sequence_ += done;
    pacer_.MarkSent(n);
    budget -= n;
    if (done < n) {
      // Sequence numbers were patched for the whole batch: the unsent tail
      // is re-patched next time, so nothing to undo here.
      break;
    }
  }
  if (pacer_.done()) return std::nullopt;
  const int64_t next = pacer_.NextDeadline();
  // Still behind after kMaxPerCall packets: catch up at once.
  if (next <= now_mono_ns) return now_mono_ns;
  return std::max(next, now_mono_ns + options_.min_wake_spacing_ns);
}

}  // namespace mcast::probe
