#include "exporter/metric_families.h"

#include <limits>
#include <map>
#include <stdexcept>
#include <string>

#include "absl/strings/str_cat.h"
#include "exporter/metric_catalog.h"

namespace mcast::exporter {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using Values = std::vector<std::string>;

prometheus::MetricType PrometheusType(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return prometheus::MetricType::Counter;
    case MetricType::kGauge:
      return prometheus::MetricType::Gauge;
    case MetricType::kHistogram:
      return prometheus::MetricType::Histogram;
  }
  return prometheus::MetricType::Untyped;
}

// Families keyed by name, created on first use and written in that order,
// so a family with no series yet is left out rather than shown empty. Name,
// type, help and label names come from the catalog; callers give only the
// label values, in the catalog's label order.
class FamilySet {
 public:
  void Add(Metric metric, const Values &values, double value) {
    const MetricSpec &spec = SpecOf(metric);
    ClientMetric m;
    m.label = Labels(spec, values);
    if (spec.type == MetricType::kCounter) {
      m.counter.value = value;
    } else {
      m.gauge.value = value;
    }
    Family(spec).metric.push_back(std::move(m));
  }

  void AddHistogram(Metric metric, const Values &values,
                    const stats::DelayStats &d) {
    const MetricSpec &spec = SpecOf(metric);
    ClientMetric m;
    m.label = Labels(spec, values);
    m.histogram.sample_count = d.count;
    m.histogram.sample_sum = d.sum_seconds;
    uint64_t cumulative = 0;
    for (size_t i = 0; i < stats::kDelayBucketsSeconds.size(); ++i) {
      cumulative += d.buckets[i];
      m.histogram.bucket.push_back(
          {cumulative, stats::kDelayBucketsSeconds[i]});
    }
    m.histogram.bucket.push_back(
        {d.count, std::numeric_limits<double>::infinity()});
    Family(spec).metric.push_back(std::move(m));
  }

  std::vector<MetricFamily> Take() {
    std::vector<MetricFamily> out;
    out.reserve(order_.size());
    for (const std::string &name : order_)
      out.push_back(std::move(by_name_[name]));
    return out;
  }

 private:
  // A count that does not match the catalog is a bug in this file; the
  // scrape fails (FunctionCollectable logs it) rather than serve series
  // with labels the catalog does not promise.
  // The values of a mesh probe's series are for the family's mesh_labels.
  static std::vector<ClientMetric::Label> Labels(const MetricSpec &spec,
                                                 const Values &values) {
    const std::span<const std::string_view> names =
        !spec.mesh_labels.empty() && values.size() == spec.mesh_labels.size()
            ? spec.mesh_labels
            : spec.labels;
    if (values.size() != names.size()) {
      throw std::logic_error(absl::StrCat(std::string(spec.name), ": ",
                                          values.size(), " label values for ",
                                          names.size(), " labels"));
    }
    std::vector<ClientMetric::Label> labels;
    labels.reserve(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
      labels.push_back({std::string(names[i]), values[i]});
    }
    return labels;
  }

  MetricFamily &Family(const MetricSpec &spec) {
    auto [it, inserted] = by_name_.try_emplace(std::string(spec.name));
    if (inserted) {
      it->second.name = spec.name;
      it->second.help = spec.help;
      it->second.type = PrometheusType(spec.type);
      order_.push_back(it->first);
    }
    return it->second;
  }

  std::map<std::string, MetricFamily> by_name_;
  std::vector<std::string> order_;
};

Values With(Values values, const std::string &value) {
  values.push_back(value);
  return values;
}

// A receiver's own label values: a mesh one's with its mesh and member.
Values ReceiverValues(const ReceiverProbeView &r) {
  Values v = {r.name, r.group, r.source, r.interface};
  if (!r.mesh.empty()) {
    v.push_back(r.mesh);
    v.push_back(r.member);
  }
  return v;
}

void AddReceiver(FamilySet &f, const ReceiverProbeView &r) {
  using enum Metric;
  const stats::ReceiverSnapshot &s = r.snapshot;
  const Values probe = ReceiverValues(r);
  for (auto state : {stats::FlowState::kWaiting, stats::FlowState::kReceiving,
                     stats::FlowState::kStalled}) {
    f.Add(kRxState, With(probe, std::string(stats::FlowStateName(state))),
          s.state == state ? 1 : 0);
  }
  f.Add(kRxStallsTotal, probe, static_cast<double>(s.stalls));
  f.Add(kRxStalledSecondsTotal, probe, s.stalled_seconds);
  f.Add(kRxForeignPacketsTotal, probe, static_cast<double>(s.foreign));
  f.Add(kRxSocketDropsTotal, probe, static_cast<double>(r.socket_drops));
  f.Add(kRxJoined, probe, r.joined ? 1 : 0);
  // One version series per receiver, of its group's family.
  if (r.ipv6) {
    f.Add(kRxMldVersion, probe, r.mld_version);
  } else {
    f.Add(kRxIgmpVersion, probe, r.igmp_version);
  }
  if (s.last_packet_real_ns > 0) {
    f.Add(kRxLastPacketTimestampSeconds, probe,
          static_cast<double>(s.last_packet_real_ns) * 1e-9);
  }
  f.Add(kRxSenders, probe, static_cast<double>(s.senders.size()));
  f.Add(kRxEvictedRunsTotal, probe, static_cast<double>(s.evicted_runs));
  f.Add(kRxEvictedSendersTotal, probe, static_cast<double>(s.evicted_senders));
  f.Add(kRxExpiredSendersTotal, probe, static_cast<double>(s.expired_senders));
  // Over every sender the receiver has seen, forgotten ones included, so
  // these never go down when per-sender series go.
  const stats::SequenceCounters &t = s.totals;
  f.Add(kRxReceiverPacketsTotal, probe, static_cast<double>(t.received));
  f.Add(kRxReceiverBytesTotal, probe, static_cast<double>(s.total_bytes));
  f.Add(kRxReceiverUniquePacketsTotal, probe, static_cast<double>(t.unique));
  f.Add(kRxReceiverLostPacketsTotal, probe, static_cast<double>(t.lost));
  f.Add(kRxReceiverPendingPackets, probe, static_cast<double>(t.pending));
  f.Add(kRxReceiverDuplicatePacketsTotal, probe,
        static_cast<double>(t.duplicates));
  f.Add(kRxReceiverReorderedPacketsTotal, probe,
        static_cast<double>(t.reordered));
  f.Add(kRxReceiverLatePacketsTotal, probe, static_cast<double>(t.late));
  f.Add(kRxReceiverStalePacketsTotal, probe, static_cast<double>(t.stale));
  f.Add(kRxReceiverDscpRemarkedPacketsTotal, probe,
        static_cast<double>(s.total_dscp_remarked));
  f.Add(kRxReceiverSenderRestartsTotal, probe,
        static_cast<double>(s.total_restarts));

  for (const stats::SenderSnapshot &v : s.senders) {
    Values l = With(probe, v.source.ToString());
    if (!r.mesh.empty()) l.push_back(std::string(MeshSenderName(r, v.source)));
    const stats::SequenceCounters &c = v.sequence;
    f.Add(kRxPacketsTotal, l, static_cast<double>(c.received));
    f.Add(kRxBytesTotal, l, static_cast<double>(v.bytes));
    f.Add(kRxUniquePacketsTotal, l, static_cast<double>(c.unique));
    f.Add(kRxLostPacketsTotal, l, static_cast<double>(c.lost));
    f.Add(kRxPendingPackets, l, static_cast<double>(c.pending));
    f.Add(kRxDuplicatePacketsTotal, l, static_cast<double>(c.duplicates));
    f.Add(kRxReorderedPacketsTotal, l, static_cast<double>(c.reordered));
    f.Add(kRxReorderExtentMax, l, static_cast<double>(c.max_reorder_extent));
    f.Add(kRxLatePacketsTotal, l, static_cast<double>(c.late));
    f.Add(kRxDscpRemarkedPacketsTotal, l, static_cast<double>(v.dscp_remarked));
    f.Add(kRxHopChangesTotal, l, static_cast<double>(v.hop_changes));
    f.Add(kRxSenderRestartsTotal, l, static_cast<double>(v.restarts));
    f.Add(kRxSequenceDiscontinuitiesTotal, l,
          static_cast<double>(c.discontinuities));
    // -1: not known yet (no packet with that ancillary data); no series.
    if (v.ttl >= 0) {
      f.Add(kRxTtl, l, v.ttl);
      f.Add(kRxHops, l, v.hops);
    }
    if (v.sender_ttl >= 0) f.Add(kRxSenderTtl, l, v.sender_ttl);
    if (v.dscp >= 0) {
      f.Add(kRxDscp, l, v.dscp);
      f.Add(kRxDscpRemarked, l, v.last_remarked ? 1 : 0);
    }
    if (v.sender_dscp >= 0) f.Add(kRxSenderDscp, l, v.sender_dscp);
    f.Add(kRxJitterSeconds, l, v.jitter_seconds);
    if (v.realtime_clock || v.delay.count > 0) {
      f.AddHistogram(kRxOneWayDelaySeconds, l, v.delay);
    }
  }
}

void AddStreams(FamilySet &f, const ReceiverProbeView &r) {
  using enum Metric;
  for (const streams::StreamSnapshot &s : r.streams.streams) {
    Values l = ReceiverValues(r);
    l.push_back(s.source.ToString());
    l.push_back(std::to_string(s.port));
    l.push_back(StreamDecoderLabel(s.kind));
    f.Add(kRxStreamPacketsTotal, l, static_cast<double>(s.packets));
    f.Add(kRxStreamBytesTotal, l, static_cast<double>(s.bytes));
    if (s.first_packet_real_ns > 0) {
      f.Add(kRxStreamFirstPacketTimestampSeconds, l,
            static_cast<double>(s.first_packet_real_ns) * 1e-9);
    }
    if (s.last_packet_real_ns > 0) {
      f.Add(kRxStreamLastPacketTimestampSeconds, l,
            static_cast<double>(s.last_packet_real_ns) * 1e-9);
    }
    f.Add(kRxStreamStalled, l,
          s.state == stats::FlowState::kStalled ? 1.0 : 0.0);
    f.Add(kRxStreamStallsTotal, l, static_cast<double>(s.stalls));
    f.Add(kRxStreamStalledSecondsTotal, l, s.stalled_seconds);
    f.Add(kRxStreamUndecodablePacketsTotal, l,
          static_cast<double>(s.undecodable));
    if (streams::StreamKindSequenced(s.kind)) {
      const stats::SequenceCounters &c = s.sequence;
      f.Add(kRxStreamUniquePacketsTotal, l, static_cast<double>(c.unique));
      f.Add(kRxStreamLostPacketsTotal, l, static_cast<double>(c.lost));
      f.Add(kRxStreamDuplicatePacketsTotal, l,
            static_cast<double>(c.duplicates));
      f.Add(kRxStreamReorderedPacketsTotal, l,
            static_cast<double>(c.reordered));
      f.Add(kRxStreamLatePacketsTotal, l, static_cast<double>(c.late));
      f.Add(kRxStreamRestartsTotal, l, static_cast<double>(s.restarts));
    }
    if (StreamKindRtp(s.kind)) {
      f.Add(kRxStreamJitterSeconds, l, s.jitter_seconds);
    }
    if (s.ts) {
      const streams::MpegTsSnapshot &t = *s.ts;
      f.Add(kRxStreamTsPacketsTotal, l, static_cast<double>(t.ts_packets));
      f.Add(kRxStreamTsSyncByteErrorsTotal, l,
            static_cast<double>(t.sync_byte_errors));
      f.Add(kRxStreamTsContinuityCountErrorsTotal, l,
            static_cast<double>(t.continuity_count_errors));
      f.Add(kRxStreamTsTransportErrorsTotal, l,
            static_cast<double>(t.transport_errors));
      f.Add(kRxStreamTsPatErrorsTotal, l, static_cast<double>(t.pat_errors));
      for (const streams::MpegTsPidSnapshot &p : t.pids) {
        const Values lp = With(l, StreamPidLabel(p.pid));
        f.Add(kRxStreamTsPidPacketsTotal, lp, static_cast<double>(p.packets));
        f.Add(kRxStreamTsPidContinuityCountErrorsTotal, lp,
              static_cast<double>(p.continuity_count_errors));
      }
    }
  }
}

void AddSender(FamilySet &f, const SenderProbeView &s) {
  using enum Metric;
  Values l = {s.name, s.group, s.interface};
  if (!s.mesh.empty()) {
    l.push_back(s.mesh);
    l.push_back(s.member);
  }
  f.Add(kTxPacketsTotal, l, static_cast<double>(s.counters.packets));
  f.Add(kTxBytesTotal, l, static_cast<double>(s.counters.bytes));
  f.Add(kTxErrorsTotal, l, static_cast<double>(s.counters.errors));
  f.Add(kTxTargetPacketsPerSecond, l, s.target_pps);
  f.Add(kTxTtl, l, s.ttl);
  f.Add(kTxDscp, l, s.dscp);
}

}  // namespace

std::vector<MetricFamily> BuildMetricFamilies(const MetricsView &view,
                                              int64_t now_mono_ns) {
  using enum Metric;
  (void)now_mono_ns;
  FamilySet f;
  f.Add(kExporterBuildInfo, {view.version}, 1);
  f.Add(kExporterConfigLastReloadSuccessful, {},
        view.last_reload_successful ? 1 : 0);
  f.Add(kExporterConfigLastReloadSuccessTimestampSeconds, {},
        view.last_reload_success_timestamp_seconds);
  f.Add(kExporterWebConfigLastReloadSuccessful, {},
        view.web_config_last_reload_successful ? 1 : 0);
  for (const auto &[name, up] : view.interfaces) {
    f.Add(kInterfaceUp, {name}, up ? 1 : 0);
  }
  for (const ReceiverProbeView &r : view.receivers) AddReceiver(f, r);
  for (const SenderProbeView &s : view.senders) AddSender(f, s);
  for (const ReceiverProbeView &r : view.receivers) {
    f.AddHistogram(kRxJoinLatencySeconds, ReceiverValues(r), r.join_latency);
  }
  for (const QuerierProbeView &q : view.queriers) {
    if (q.seen) {
      f.Add(kQuerierInfo, {q.interface, q.address, QuerierVersionLabel(q)}, 1);
    }
  }
  for (const QuerierProbeView &q : view.queriers) {
    if (q.up >= 0) f.Add(kQuerierUp, {q.interface, q.protocol}, q.up);
  }
  for (const QuerierProbeView &q : view.queriers) {
    if (q.seen) f.Add(kQuerierVersion, {q.interface, q.protocol}, q.version);
  }
  for (const QuerierProbeView &q : view.queriers) {
    f.Add(kQuerierVersionExpected, {q.interface, q.protocol},
          q.expected_version);
  }
  for (const QuerierProbeView &q : view.queriers) {
    if (q.last_query_timestamp_seconds > 0) {
      f.Add(kQuerierLastQueryTimestampSeconds, {q.interface, q.protocol},
            q.last_query_timestamp_seconds);
    }
  }
  for (const QuerierProbeView &q : view.queriers) {
    f.Add(kQuerierQueriesTotal, {q.interface, q.protocol},
          static_cast<double>(q.queries));
  }
  for (const ReceiverProbeView &r : view.receivers) {
    f.Add(kRxStreamSources, ReceiverValues(r),
          static_cast<double>(r.streams.streams.size()));
  }
  for (const ReceiverProbeView &r : view.receivers) {
    f.Add(kRxStreamEvictedSourcesTotal, ReceiverValues(r),
          static_cast<double>(r.streams.evicted));
  }
  for (const ReceiverProbeView &r : view.receivers) AddStreams(f, r);
  for (const MeshView &m : view.meshes) {
    f.Add(kMeshMembers, {m.name}, static_cast<double>(m.members));
  }
  for (const MeshView &m : view.meshes) {
    f.Add(kMeshSelfInfo, {m.name, m.self, m.self_address}, 1);
  }
  for (const ReceiverProbeView &r : view.receivers) {
    for (const MeshPeerView &p : r.peers) {
      for (auto state :
           {stats::FlowState::kWaiting, stats::FlowState::kReceiving,
            stats::FlowState::kStalled}) {
        f.Add(kMeshPeerState,
              {r.mesh, p.name, r.member,
               std::string(stats::FlowStateName(state))},
              p.state == state ? 1 : 0);
      }
    }
  }
  return f.Take();
}

}  // namespace mcast::exporter
