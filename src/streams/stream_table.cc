#include "streams/stream_table.h"

#include <algorithm>
#include <bit>
#include <utility>

namespace mcast::streams {
namespace {

int History(uint64_t packets) { return std::bit_width(packets); }

}  // namespace

StreamTable::StreamTable(const StreamTableOptions& options)
    : options_(options) {
  options_.max_streams = std::max<size_t>(options_.max_streams, 1);
  flows_.reserve(options_.max_streams);
}

size_t StreamTable::WorstCaseBytes(const StreamTableOptions& options) {
  const size_t n = std::max<size_t>(options.max_streams, 1);
  const size_t slot = sizeof(std::pair<const Key, std::unique_ptr<StreamFlow>>);
  return n * (StreamFlow::HeapBytes(options.flow) + 3 * slot + 1) +
         sizeof(StreamTable);
}

void StreamTable::Evict() {
  const Key* victim_key = nullptr;
  const StreamFlow* victim = nullptr;
  for (const auto& [key, flow] : flows_) {
    if (victim != nullptr) {
      const int h = History(flow->packets());
      const int hv = History(victim->packets());
      if (h > hv || (h == hv && flow->last_packet_mono_ns() >=
                                    victim->last_packet_mono_ns())) {
        continue;
      }
    }
    victim = flow.get();
    victim_key = &key;
  }
  if (victim == nullptr) return;
  auto it = flows_.find(*victim_key);
  it->second->Finish();
  ++evicted_;
  evicted_packets_ += it->second->packets();
  evicted_bytes_ += it->second->bytes();
  evicted_sequence_.Add(it->second->SequenceTotals());
  if (last_flow_ == it->second.get()) last_flow_ = nullptr;
  flows_.erase(it);
}

StreamFlow* StreamTable::FindOrCreate(const inet::IpAddress& source,
                                      uint16_t port) {
  if (last_flow_ != nullptr && last_key_.port == port &&
      last_key_.source == source) {
    return last_flow_;
  }
  Key key{source, port};
  auto it = flows_.find(key);
  if (it == flows_.end()) {
    if (flows_.size() >= options_.max_streams) Evict();
    it = flows_
             .emplace(key,
                      std::make_unique<StreamFlow>(options_.flow, source, port))
             .first;
  }
  last_key_ = key;
  last_flow_ = it->second.get();
  return last_flow_;
}

void StreamTable::OnDatagram(const inet::IpAddress& source, uint16_t port,
                             absl::Span<const uint8_t> payload, int64_t mono_ns,
                             int64_t real_ns) {
  FindOrCreate(source, port)->OnDatagram(payload, mono_ns, real_ns);
}

void StreamTable::Tick(int64_t mono_ns) {
  for (auto& [key, flow] : flows_) flow->Tick(mono_ns);
}

void StreamTable::Finish() {
  for (auto& [key, flow] : flows_) flow->Finish();
}

StreamTableSnapshot StreamTable::Snapshot(int64_t now_mono_ns) const {
  StreamTableSnapshot s;
  s.evicted = evicted_;
  s.packets = evicted_packets_;
  s.bytes = evicted_bytes_;
  s.sequence = evicted_sequence_;
  s.streams.reserve(flows_.size());
  for (const auto& [key, flow] : flows_) {
    s.streams.push_back(flow->Snapshot(now_mono_ns));
    const StreamSnapshot& f = s.streams.back();
    s.packets += f.packets;
    s.bytes += f.bytes;
    s.sequence.Add(f.sequence);
  }
  std::sort(s.streams.begin(), s.streams.end(),
            [](const StreamSnapshot& a, const StreamSnapshot& b) {
              const std::string as = a.source.ToString();
              const std::string bs = b.source.ToString();
              return as != bs ? as < bs : a.port < b.port;
            });
  return s;
}

}  // namespace mcast::streams
