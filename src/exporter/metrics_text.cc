#include "exporter/metrics_text.h"

#include <algorithm>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "exporter/metric_catalog.h"
#include "exporter/text_exposition.h"

namespace mcast::exporter {
namespace {

using enum Metric;
using stats::SenderSnapshot;

// The values of one family, per receiver probe, per sender a receiver sees,
// per sender probe; `present` (when set) says whether the series exists.
// The tables follow the catalog's order, which is the order of /metrics.
struct RxValue {
  Metric metric;
  double (*value)(const ReceiverProbeView&);
  bool (*present)(const ReceiverProbeView&) = nullptr;
};
struct RxSenderValue {
  Metric metric;
  double (*value)(const SenderSnapshot&);
  bool (*present)(const SenderSnapshot&) = nullptr;
};
struct TxValue {
  Metric metric;
  double (*value)(const SenderProbeView&);
};

struct StreamValue {
  Metric metric;
  double (*value)(const streams::StreamSnapshot&);
  bool (*present)(const streams::StreamSnapshot&) = nullptr;
};

double D(uint64_t v) { return static_cast<double>(v); }

constexpr RxValue kRxValues[] = {
    {kRxStallsTotal,
     [](const ReceiverProbeView& r) { return D(r.snapshot.stalls); }},
    {kRxStalledSecondsTotal,
     [](const ReceiverProbeView& r) { return r.snapshot.stalled_seconds; }},
    {kRxForeignPacketsTotal,
     [](const ReceiverProbeView& r) { return D(r.snapshot.foreign); }},
    {kRxSocketDropsTotal,
     [](const ReceiverProbeView& r) { return D(r.socket_drops); }},
    {kRxJoined,
     [](const ReceiverProbeView& r) { return r.joined ? 1.0 : 0.0; }},
    // One version series per receiver, of its group's family.
    {kRxIgmpVersion,
     [](const ReceiverProbeView& r) { return r.igmp_version * 1.0; },
     [](const ReceiverProbeView& r) { return !r.ipv6; }},
    {kRxMldVersion,
     [](const ReceiverProbeView& r) { return r.mld_version * 1.0; },
     [](const ReceiverProbeView& r) { return r.ipv6; }},
    {kRxLastPacketTimestampSeconds,
     [](const ReceiverProbeView& r) {
       return static_cast<double>(r.snapshot.last_packet_real_ns) * 1e-9;
     },
     [](const ReceiverProbeView& r) {
       return r.snapshot.last_packet_real_ns > 0;
     }},
    {kRxSenders,
     [](const ReceiverProbeView& r) { return D(r.snapshot.senders.size()); }},
    {kRxEvictedRunsTotal,
     [](const ReceiverProbeView& r) { return D(r.snapshot.evicted_runs); }},
    {kRxEvictedSendersTotal,
     [](const ReceiverProbeView& r) { return D(r.snapshot.evicted_senders); }},
    {kRxExpiredSendersTotal,
     [](const ReceiverProbeView& r) { return D(r.snapshot.expired_senders); }},
    // Over every sender the receiver has seen, forgotten ones included.
    {kRxReceiverPacketsTotal,
     [](const ReceiverProbeView& r) { return D(r.snapshot.totals.received); }},
    {kRxReceiverBytesTotal,
     [](const ReceiverProbeView& r) { return D(r.snapshot.total_bytes); }},
    {kRxReceiverUniquePacketsTotal,
     [](const ReceiverProbeView& r) { return D(r.snapshot.totals.unique); }},
    {kRxReceiverLostPacketsTotal,
     [](const ReceiverProbeView& r) { return D(r.snapshot.totals.lost); }},
    {kRxReceiverPendingPackets,
     [](const ReceiverProbeView& r) { return D(r.snapshot.totals.pending); }},
    {kRxReceiverDuplicatePacketsTotal,
     [](const ReceiverProbeView& r) {
       return D(r.snapshot.totals.duplicates);
     }},
    {kRxReceiverReorderedPacketsTotal,
     [](const ReceiverProbeView& r) { return D(r.snapshot.totals.reordered); }},
    {kRxReceiverLatePacketsTotal,
     [](const ReceiverProbeView& r) { return D(r.snapshot.totals.late); }},
    {kRxReceiverStalePacketsTotal,
     [](const ReceiverProbeView& r) { return D(r.snapshot.totals.stale); }},
    {kRxReceiverDscpRemarkedPacketsTotal,
     [](const ReceiverProbeView& r) {
       return D(r.snapshot.total_dscp_remarked);
     }},
    {kRxReceiverSenderRestartsTotal,
     [](const ReceiverProbeView& r) { return D(r.snapshot.total_restarts); }},
};

bool HasTtl(const SenderSnapshot& v) { return v.ttl >= 0; }
bool HasDscp(const SenderSnapshot& v) { return v.dscp >= 0; }

constexpr RxSenderValue kRxSenderValues[] = {
    {kRxPacketsTotal,
     [](const SenderSnapshot& v) { return D(v.sequence.received); }},
    {kRxBytesTotal, [](const SenderSnapshot& v) { return D(v.bytes); }},
    {kRxUniquePacketsTotal,
     [](const SenderSnapshot& v) { return D(v.sequence.unique); }},
    {kRxLostPacketsTotal,
     [](const SenderSnapshot& v) { return D(v.sequence.lost); }},
    {kRxPendingPackets,
     [](const SenderSnapshot& v) { return D(v.sequence.pending); }},
    {kRxDuplicatePacketsTotal,
     [](const SenderSnapshot& v) { return D(v.sequence.duplicates); }},
    {kRxReorderedPacketsTotal,
     [](const SenderSnapshot& v) { return D(v.sequence.reordered); }},
    {kRxReorderExtentMax,
     [](const SenderSnapshot& v) { return D(v.sequence.max_reorder_extent); }},
    {kRxLatePacketsTotal,
     [](const SenderSnapshot& v) { return D(v.sequence.late); }},
    {kRxDscpRemarkedPacketsTotal,
     [](const SenderSnapshot& v) { return D(v.dscp_remarked); }},
    {kRxHopChangesTotal,
     [](const SenderSnapshot& v) { return D(v.hop_changes); }},
    {kRxSenderRestartsTotal,
     [](const SenderSnapshot& v) { return D(v.restarts); }},
    {kRxSequenceDiscontinuitiesTotal,
     [](const SenderSnapshot& v) { return D(v.sequence.discontinuities); }},
    // -1: not known yet (no packet with that ancillary data); no series.
    {kRxTtl, [](const SenderSnapshot& v) { return v.ttl * 1.0; }, HasTtl},
    {kRxHops, [](const SenderSnapshot& v) { return v.hops * 1.0; }, HasTtl},
    {kRxSenderTtl, [](const SenderSnapshot& v) { return v.sender_ttl * 1.0; },
     [](const SenderSnapshot& v) { return v.sender_ttl >= 0; }},
    {kRxDscp, [](const SenderSnapshot& v) { return v.dscp * 1.0; }, HasDscp},
    {kRxDscpRemarked,
     [](const SenderSnapshot& v) { return v.last_remarked ? 1.0 : 0.0; },
     HasDscp},
    {kRxSenderDscp, [](const SenderSnapshot& v) { return v.sender_dscp * 1.0; },
     [](const SenderSnapshot& v) { return v.sender_dscp >= 0; }},
    {kRxJitterSeconds,
     [](const SenderSnapshot& v) { return v.jitter_seconds; }},
};

constexpr TxValue kTxValues[] = {
    {kTxPacketsTotal,
     [](const SenderProbeView& s) { return D(s.counters.packets); }},
    {kTxBytesTotal,
     [](const SenderProbeView& s) { return D(s.counters.bytes); }},
    {kTxErrorsTotal,
     [](const SenderProbeView& s) { return D(s.counters.errors); }},
    {kTxTargetPacketsPerSecond,
     [](const SenderProbeView& s) { return s.target_pps; }},
    {kTxTtl, [](const SenderProbeView& s) { return s.ttl * 1.0; }},
    {kTxDscp, [](const SenderProbeView& s) { return s.dscp * 1.0; }},
};

using streams::StreamSnapshot;
bool Sequenced(const StreamSnapshot& s) {
  return streams::StreamKindSequenced(s.kind);
}
bool IsTs(const StreamSnapshot& s) { return s.ts.has_value(); }

// Per non-probe source; the sequence families only for sequenced kinds,
// jitter for RTP ones, the TS families for MPEG-TS ones.
constexpr StreamValue kStreamValues[] = {
    {kRxStreamPacketsTotal,
     [](const StreamSnapshot& s) { return D(s.packets); }},
    {kRxStreamBytesTotal, [](const StreamSnapshot& s) { return D(s.bytes); }},
    {kRxStreamFirstPacketTimestampSeconds,
     [](const StreamSnapshot& s) {
       return static_cast<double>(s.first_packet_real_ns) * 1e-9;
     },
     [](const StreamSnapshot& s) { return s.first_packet_real_ns > 0; }},
    {kRxStreamLastPacketTimestampSeconds,
     [](const StreamSnapshot& s) {
       return static_cast<double>(s.last_packet_real_ns) * 1e-9;
     },
     [](const StreamSnapshot& s) { return s.last_packet_real_ns > 0; }},
    {kRxStreamStalled,
     [](const StreamSnapshot& s) {
       return s.state == stats::FlowState::kStalled ? 1.0 : 0.0;
     }},
    {kRxStreamStallsTotal, [](const StreamSnapshot& s) { return D(s.stalls); }},
    {kRxStreamStalledSecondsTotal,
     [](const StreamSnapshot& s) { return s.stalled_seconds; }},
    {kRxStreamUndecodablePacketsTotal,
     [](const StreamSnapshot& s) { return D(s.undecodable); }},
    {kRxStreamUniquePacketsTotal,
     [](const StreamSnapshot& s) { return D(s.sequence.unique); }, Sequenced},
    {kRxStreamLostPacketsTotal,
     [](const StreamSnapshot& s) { return D(s.sequence.lost); }, Sequenced},
    {kRxStreamDuplicatePacketsTotal,
     [](const StreamSnapshot& s) { return D(s.sequence.duplicates); },
     Sequenced},
    {kRxStreamReorderedPacketsTotal,
     [](const StreamSnapshot& s) { return D(s.sequence.reordered); },
     Sequenced},
    {kRxStreamLatePacketsTotal,
     [](const StreamSnapshot& s) { return D(s.sequence.late); }, Sequenced},
    {kRxStreamRestartsTotal,
     [](const StreamSnapshot& s) { return D(s.restarts); }, Sequenced},
    {kRxStreamJitterSeconds,
     [](const StreamSnapshot& s) { return s.jitter_seconds; },
     [](const StreamSnapshot& s) { return StreamKindRtp(s.kind); }},
    {kRxStreamTsPacketsTotal,
     [](const StreamSnapshot& s) { return D(s.ts->ts_packets); }, IsTs},
    {kRxStreamTsSyncByteErrorsTotal,
     [](const StreamSnapshot& s) { return D(s.ts->sync_byte_errors); }, IsTs},
    {kRxStreamTsContinuityCountErrorsTotal,
     [](const StreamSnapshot& s) { return D(s.ts->continuity_count_errors); },
     IsTs},
    {kRxStreamTsTransportErrorsTotal,
     [](const StreamSnapshot& s) { return D(s.ts->transport_errors); }, IsTs},
    {kRxStreamTsPatErrorsTotal,
     [](const StreamSnapshot& s) { return D(s.ts->pat_errors); }, IsTs},
};

template <typename T, size_t N>
constexpr bool InCatalogOrder(const T (&table)[N]) {
  for (size_t i = 1; i < N; ++i) {
    if (static_cast<int>(table[i].metric) !=
        static_cast<int>(table[i - 1].metric) + 1) {
      return false;
    }
  }
  return true;
}
static_assert(InCatalogOrder(kRxValues) &&
              kRxValues[0].metric == kRxStallsTotal &&
              static_cast<int>(kRxState) + 1 ==
                  static_cast<int>(kRxStallsTotal));
static_assert(InCatalogOrder(kRxSenderValues) &&
              static_cast<int>(kRxValues[std::size(kRxValues) - 1].metric) +
                      1 ==
                  static_cast<int>(kRxSenderValues[0].metric));
static_assert(
    static_cast<int>(kRxSenderValues[std::size(kRxSenderValues) - 1].metric) +
            1 ==
        static_cast<int>(kRxOneWayDelaySeconds) &&
    static_cast<int>(kRxOneWayDelaySeconds) + 1 ==
        static_cast<int>(kTxPacketsTotal));
static_assert(InCatalogOrder(kTxValues) &&
              kTxValues[std::size(kTxValues) - 1].metric == kTxDscp &&
              static_cast<int>(kTxDscp) + 1 ==
                  static_cast<int>(kRxJoinLatencySeconds) &&
              static_cast<int>(kRxJoinLatencySeconds) + 1 ==
                  static_cast<int>(kQuerierInfo) &&
              static_cast<int>(kQuerierQueriesTotal) + 1 ==
                  static_cast<int>(kRxStreamSources));
static_assert(
    InCatalogOrder(kStreamValues) &&
    static_cast<int>(kRxStreamEvictedSourcesTotal) + 1 ==
        static_cast<int>(kStreamValues[0].metric) &&
    static_cast<int>(kStreamValues[std::size(kStreamValues) - 1].metric) + 1 ==
        static_cast<int>(kRxStreamTsPidPacketsTotal) &&
    static_cast<int>(kRxStreamTsPidContinuityCountErrorsTotal) + 1 ==
        static_cast<int>(kMeshMembers) &&
    static_cast<int>(kMeshPeerState) + 1 == static_cast<int>(kCount));

// A piece of the label arena.
struct Piece {
  size_t begin = 0;
  size_t size = 0;
};

class Renderer {
 public:
  Renderer(const MetricsView& view, std::string* out) : v_(view), w_(out) {}

  void Run() {
    RenderLabels();
    Begin(kExporterBuildInfo, 1);
    {
      std::string l;
      TextExposition::AppendLabel(&l, SpecOf(kExporterBuildInfo).labels[0],
                                  v_.version);
      Sample(l, 1.0);
    }
    Begin(kExporterConfigLastReloadSuccessful, 0);
    Sample({}, v_.last_reload_successful ? 1.0 : 0.0);
    Begin(kExporterConfigLastReloadSuccessTimestampSeconds, 0);
    Sample({}, v_.last_reload_success_timestamp_seconds);
    Begin(kExporterWebConfigLastReloadSuccessful, 0);
    Sample({}, v_.web_config_last_reload_successful ? 1.0 : 0.0);
    Begin(kInterfaceUp, 1);
    for (size_t i = 0; i < v_.interfaces.size(); ++i) {
      Sample(L(interfaces_[i]), v_.interfaces[i].second ? 1.0 : 0.0);
    }

    Begin(kRxState, rx_label_count_ + 1);
    for (size_t i = 0; i < v_.receivers.size(); ++i) {
      for (auto state :
           {stats::FlowState::kWaiting, stats::FlowState::kReceiving,
            stats::FlowState::kStalled}) {
        Start();
        w_.Sample(spec_->name, {}, L(receivers_[i]),
                  L(states_[StateIndex(state)]),
                  uint64_t{v_.receivers[i].snapshot.state == state});
      }
    }
    for (const RxValue& t : kRxValues) {
      Begin(t.metric, rx_label_count_);
      for (size_t i = 0; i < v_.receivers.size(); ++i) {
        const ReceiverProbeView& r = v_.receivers[i];
        if (t.present != nullptr && !t.present(r)) continue;
        Sample(L(receivers_[i]), t.value(r));
      }
    }
    for (const RxSenderValue& t : kRxSenderValues) {
      Begin(t.metric, rx_label_count_ + 1);
      ForEachRxSender([&](const SenderSnapshot& s, std::string_view l) {
        if (t.present == nullptr || t.present(s)) Sample(l, t.value(s));
      });
    }
    Begin(kRxOneWayDelaySeconds, rx_label_count_ + 1);
    ForEachRxSender([&](const SenderSnapshot& s, std::string_view l) {
      if (s.realtime_clock || s.delay.count > 0) Histogram(l, s.delay);
    });
    for (const TxValue& t : kTxValues) {
      Begin(t.metric, tx_label_count_);
      for (size_t i = 0; i < v_.senders.size(); ++i) {
        Sample(L(senders_[i]), t.value(v_.senders[i]));
      }
    }
    Begin(kRxJoinLatencySeconds, rx_label_count_);
    for (size_t i = 0; i < v_.receivers.size(); ++i) {
      Histogram(L(receivers_[i]), v_.receivers[i].join_latency);
    }
    RenderQueriers();
    RenderStreams();
    RenderMeshes();
  }

 private:
  static size_t StateIndex(stats::FlowState state) {
    switch (state) {
      case stats::FlowState::kWaiting:
        return 0;
      case stats::FlowState::kReceiving:
        return 1;
      case stats::FlowState::kStalled:
        return 2;
    }
    return 0;
  }

  void RenderStreams() {
    Begin(kRxStreamSources, rx_label_count_);
    for (size_t i = 0; i < v_.receivers.size(); ++i) {
      Sample(L(receivers_[i]), D(v_.receivers[i].streams.streams.size()));
    }
    Begin(kRxStreamEvictedSourcesTotal, rx_label_count_);
    for (size_t i = 0; i < v_.receivers.size(); ++i) {
      Sample(L(receivers_[i]), D(v_.receivers[i].streams.evicted));
    }
    for (const StreamValue& t : kStreamValues) {
      Begin(t.metric, rx_label_count_ + 3);
      ForEachStream([&](const StreamSnapshot& s, std::string_view l) {
        if (t.present == nullptr || t.present(s)) Sample(l, t.value(s));
      });
    }
    // At most 33 PIDs per source: labels rendered here.
    const std::string_view pid_name =
        SpecOf(kRxStreamTsPidPacketsTotal).labels.back();
    std::string l;
    for (Metric m : {kRxStreamTsPidPacketsTotal,
                     kRxStreamTsPidContinuityCountErrorsTotal}) {
      Begin(m, rx_label_count_ + 4);
      ForEachStream([&](const StreamSnapshot& s, std::string_view labels) {
        if (!s.ts) return;
        for (const streams::MpegTsPidSnapshot& p : s.ts->pids) {
          l.assign(labels.data(), labels.size());
          TextExposition::AppendLabel(&l, pid_name, StreamPidLabel(p.pid));
          Sample(l, D(m == kRxStreamTsPidPacketsTotal
                          ? p.packets
                          : p.continuity_count_errors));
        }
      });
    }
  }

  // Per mesh and per peer of a mesh receiver: labels rendered here (one
  // peer_state line per pair and state).
  void RenderMeshes() {
    const std::span<const std::string_view> self = SpecOf(kMeshSelfInfo).labels;
    const std::span<const std::string_view> peer =
        SpecOf(kMeshPeerState).labels;
    std::string l;
    Begin(kMeshMembers, 1);
    for (const MeshView& m : v_.meshes) {
      l.clear();
      TextExposition::AppendLabel(&l, SpecOf(kMeshMembers).labels[0], m.name);
      Sample(l, D(m.members));
    }
    Begin(kMeshSelfInfo, 3);
    for (const MeshView& m : v_.meshes) {
      l.clear();
      TextExposition::AppendLabel(&l, self[0], m.name);
      TextExposition::AppendLabel(&l, self[1], m.self);
      TextExposition::AppendLabel(&l, self[2], m.self_address);
      Sample(l, 1.0);
    }
    Begin(kMeshPeerState, 4);
    for (const ReceiverProbeView& r : v_.receivers) {
      for (const MeshPeerView& p : r.peers) {
        l.clear();
        TextExposition::AppendLabel(&l, peer[0], r.mesh);
        TextExposition::AppendLabel(&l, peer[1], p.name);
        TextExposition::AppendLabel(&l, peer[2], r.member);
        for (auto state :
             {stats::FlowState::kWaiting, stats::FlowState::kReceiving,
              stats::FlowState::kStalled}) {
          Start();
          w_.Sample(spec_->name, {}, l, L(states_[StateIndex(state)]),
                    uint64_t{p.state == state});
        }
      }
    }
  }

  // A few interfaces at most: labels rendered here, not in the arena.
  void RenderQueriers() {
    const std::span<const std::string_view> info = SpecOf(kQuerierInfo).labels;
    const std::span<const std::string_view> ql = SpecOf(kQuerierUp).labels;
    std::vector<std::string> labels;
    for (const QuerierProbeView& q : v_.queriers) {
      std::string l;
      TextExposition::AppendLabel(&l, ql[0], q.interface);
      TextExposition::AppendLabel(&l, ql[1], q.protocol);
      labels.push_back(std::move(l));
    }
    Begin(kQuerierInfo, 3);
    for (const QuerierProbeView& q : v_.queriers) {
      if (!q.seen) continue;
      std::string l;
      TextExposition::AppendLabel(&l, info[0], q.interface);
      TextExposition::AppendLabel(&l, info[1], q.address);
      TextExposition::AppendLabel(&l, info[2], QuerierVersionLabel(q));
      Sample(l, 1.0);
    }
    Begin(kQuerierUp, 2);
    for (size_t i = 0; i < v_.queriers.size(); ++i) {
      if (v_.queriers[i].up >= 0) Sample(labels[i], v_.queriers[i].up * 1.0);
    }
    Begin(kQuerierVersion, 2);
    for (size_t i = 0; i < v_.queriers.size(); ++i) {
      if (v_.queriers[i].seen) Sample(labels[i], v_.queriers[i].version * 1.0);
    }
    Begin(kQuerierVersionExpected, 2);
    for (size_t i = 0; i < v_.queriers.size(); ++i) {
      Sample(labels[i], v_.queriers[i].expected_version * 1.0);
    }
    Begin(kQuerierLastQueryTimestampSeconds, 2);
    for (size_t i = 0; i < v_.queriers.size(); ++i) {
      if (v_.queriers[i].last_query_timestamp_seconds > 0) {
        Sample(labels[i], v_.queriers[i].last_query_timestamp_seconds);
      }
    }
    Begin(kQuerierQueriesTotal, 2);
    for (size_t i = 0; i < v_.queriers.size(); ++i) {
      Sample(labels[i], D(v_.queriers[i].queries));
    }
  }

  std::string_view L(Piece p) const {
    return std::string_view(arena_).substr(p.begin, p.size);
  }

  // Label text rendered once per probe (and per sender a receiver sees),
  // then copied into every one of its lines.
  void RenderLabels() {
    const std::span<const std::string_view> rx = SpecOf(kRxStallsTotal).labels;
    const std::span<const std::string_view> rxs =
        SpecOf(kRxPacketsTotal).labels;
    const std::span<const std::string_view> tx = SpecOf(kTxPacketsTotal).labels;
    const std::span<const std::string_view> st =
        SpecOf(kRxStreamPacketsTotal).labels;
    rx_label_count_ = rx.size();
    tx_label_count_ = tx.size();
    if (rx.size() != 4 || tx.size() != 3 || rxs.size() != 5 || st.size() != 7 ||
        !std::equal(rx.begin(), rx.end(), rxs.begin()) ||
        !std::equal(rx.begin(), rx.end(), st.begin())) {
      throw std::logic_error("receiver/sender labels changed in the catalog");
    }
    // Mesh probes' series: the member names right after the labels they
    // name (metric_catalog.h), which is where the pieces below put them.
    const std::span<const std::string_view> mrx =
        SpecOf(kRxStallsTotal).mesh_labels;
    const std::span<const std::string_view> mrxs =
        SpecOf(kRxPacketsTotal).mesh_labels;
    const std::span<const std::string_view> mtx =
        SpecOf(kTxPacketsTotal).mesh_labels;
    if (mrx.size() != 6 || mrxs.size() != 8 || mtx.size() != 5 ||
        mrx[4] != kMeshLabel || mrx[5] != kReceiverNameLabel ||
        !std::equal(mrx.begin(), mrx.end(), mrxs.begin()) ||
        mrxs[6] != rxs[4] || mrxs[7] != kSenderNameLabel ||
        mtx[3] != kMeshLabel || mtx[4] != kSenderNameLabel) {
      throw std::logic_error("mesh labels changed in the catalog");
    }
    std::string scratch;
    auto add = [&](const std::string& text) {
      Piece p{arena_.size(), text.size()};
      arena_ += text;
      return p;
    };
    for (const auto& [name, up] : v_.interfaces) {
      scratch.clear();
      TextExposition::AppendLabel(&scratch, SpecOf(kInterfaceUp).labels[0],
                                  name);
      interfaces_.push_back(add(scratch));
    }
    const std::string_view state_name = SpecOf(kRxState).labels.back();
    for (auto state : {stats::FlowState::kWaiting, stats::FlowState::kReceiving,
                       stats::FlowState::kStalled}) {
      scratch.clear();
      TextExposition::AppendLabel(&scratch, state_name,
                                  stats::FlowStateName(state));
      states_.push_back(add(scratch));
    }
    for (const ReceiverProbeView& r : v_.receivers) {
      scratch.clear();
      TextExposition::AppendLabel(&scratch, rx[0], r.name);
      TextExposition::AppendLabel(&scratch, rx[1], r.group);
      TextExposition::AppendLabel(&scratch, rx[2], r.source);
      TextExposition::AppendLabel(&scratch, rx[3], r.interface);
      if (!r.mesh.empty()) {
        TextExposition::AppendLabel(&scratch, kMeshLabel, r.mesh);
        TextExposition::AppendLabel(&scratch, kReceiverNameLabel, r.member);
      }
      receivers_.push_back(add(scratch));
      first_sender_.push_back(rx_senders_.size());
      const size_t prefix = scratch.size();
      for (const SenderSnapshot& s : r.snapshot.senders) {
        scratch.resize(prefix);
        TextExposition::AppendLabel(&scratch, rxs[4], s.source.ToString());
        if (!r.mesh.empty()) {
          TextExposition::AppendLabel(&scratch, kSenderNameLabel,
                                      MeshSenderName(r, s.source));
        }
        rx_senders_.push_back(add(scratch));
      }
      first_stream_.push_back(rx_streams_.size());
      for (const StreamSnapshot& s : r.streams.streams) {
        scratch.resize(prefix);
        TextExposition::AppendLabel(&scratch, st[4], s.source.ToString());
        TextExposition::AppendLabel(&scratch, st[5], std::to_string(s.port));
        TextExposition::AppendLabel(&scratch, st[6],
                                    StreamDecoderLabel(s.kind));
        rx_streams_.push_back(add(scratch));
      }
    }
    first_sender_.push_back(rx_senders_.size());
    first_stream_.push_back(rx_streams_.size());
    for (const SenderProbeView& s : v_.senders) {
      scratch.clear();
      TextExposition::AppendLabel(&scratch, tx[0], s.name);
      TextExposition::AppendLabel(&scratch, tx[1], s.group);
      TextExposition::AppendLabel(&scratch, tx[2], s.interface);
      if (!s.mesh.empty()) {
        TextExposition::AppendLabel(&scratch, kMeshLabel, s.mesh);
        TextExposition::AppendLabel(&scratch, kSenderNameLabel, s.member);
      }
      senders_.push_back(add(scratch));
    }
    for (double bound : stats::kDelayBucketsSeconds) {
      scratch.clear();
      std::string text;
      TextExposition::AppendDouble(text, bound);
      TextExposition::AppendLabel(&scratch, "le", text);
      buckets_.push_back(add(scratch));
    }
    scratch.clear();
    TextExposition::AppendLabel(&scratch, "le", "+Inf");
    buckets_.push_back(add(scratch));
  }

  template <typename F>
  void ForEachRxSender(F f) {
    for (size_t i = 0; i < v_.receivers.size(); ++i) {
      const std::vector<SenderSnapshot>& senders =
          v_.receivers[i].snapshot.senders;
      for (size_t j = 0; j < senders.size(); ++j) {
        f(senders[j], L(rx_senders_[first_sender_[i] + j]));
      }
    }
  }

  template <typename F>
  void ForEachStream(F f) {
    for (size_t i = 0; i < v_.receivers.size(); ++i) {
      const std::vector<StreamSnapshot>& streams =
          v_.receivers[i].streams.streams;
      for (size_t j = 0; j < streams.size(); ++j) {
        f(streams[j], L(rx_streams_[first_stream_[i] + j]));
      }
    }
  }

  // The family whose samples follow; its # HELP/# TYPE lines are written
  // with the first one, so a family without series is left out. A label
  // count that does not match the catalog is a bug in this file: the scrape
  // fails rather than serve labels the catalog does not promise.
  void Begin(Metric metric, size_t label_count) {
    spec_ = &SpecOf(metric);
    started_ = false;
    if (spec_->labels.size() != label_count) {
      throw std::logic_error(absl::StrCat(std::string(spec_->name), ": ",
                                          label_count, " label values for ",
                                          spec_->labels.size(), " labels"));
    }
  }
  void Start() {
    if (started_) return;
    started_ = true;
    w_.Family(spec_->name, spec_->help, MetricTypeName(spec_->type));
  }
  void Sample(std::string_view labels, double value) {
    Start();
    w_.Sample(spec_->name, labels, value);
  }
  void Histogram(std::string_view labels, const stats::DelayStats& d) {
    Start();
    w_.Sample(spec_->name, "_count", labels, d.count);
    w_.Sample(spec_->name, "_sum", labels, d.sum_seconds);
    uint64_t cumulative = 0;
    for (size_t i = 0; i < stats::kDelayBucketsSeconds.size(); ++i) {
      cumulative += d.buckets[i];
      w_.Sample(spec_->name, "_bucket", labels, L(buckets_[i]), cumulative);
    }
    w_.Sample(spec_->name, "_bucket", labels, L(buckets_.back()), d.count);
  }

  const MetricsView& v_;
  TextExposition w_;
  const MetricSpec* spec_ = nullptr;
  bool started_ = false;
  size_t rx_label_count_ = 0;
  size_t tx_label_count_ = 0;
  std::string arena_;
  std::vector<Piece> interfaces_, states_, receivers_, rx_senders_, senders_,
      buckets_, rx_streams_;
  std::vector<size_t> first_sender_, first_stream_;
};

}  // namespace

void RenderMetricsText(const MetricsView& view, std::string* out) {
  Renderer(view, out).Run();
}

}  // namespace mcast::exporter
