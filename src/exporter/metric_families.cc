#include "exporter/metric_families.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"

namespace mcast::exporter {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;

// Families keyed by name, created on first use in the order of kSpecs, so
// a family with no series yet is left out rather than shown empty.
class FamilySet {
 public:
  void Add(const std::string& name, MetricType type, const std::string& help,
           const Labels& labels, double value) {
    ClientMetric m;
    m.label = labels;
    if (type == MetricType::Counter) {
      m.counter.value = value;
    } else {
      m.gauge.value = value;
    }
    Family(name, type, help).metric.push_back(std::move(m));
  }

  void AddHistogram(const std::string& name, const std::string& help,
                    const Labels& labels, const stats::DelayStats& d) {
    ClientMetric m;
    m.label = labels;
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
    Family(name, MetricType::Histogram, help).metric.push_back(std::move(m));
  }

  std::vector<MetricFamily> Take() {
    std::vector<MetricFamily> out;
    out.reserve(order_.size());
    for (const std::string& name : order_)
      out.push_back(std::move(by_name_[name]));
    return out;
  }

 private:
  MetricFamily& Family(const std::string& name, MetricType type,
                       const std::string& help) {
    auto [it, inserted] = by_name_.try_emplace(name);
    if (inserted) {
      it->second.name = name;
      it->second.help = help;
      it->second.type = type;
      order_.push_back(name);
    }
    return it->second;
  }

  std::map<std::string, MetricFamily> by_name_;
  std::vector<std::string> order_;
};

Labels With(Labels labels, const std::string& name, const std::string& value) {
  labels.push_back({name, value});
  return labels;
}

void AddReceiver(FamilySet& f, const ReceiverProbeView& r, int64_t now) {
  const stats::ReceiverSnapshot& s = r.snapshot;
  Labels probe = {{"probe", r.name},
                  {"group", r.group},
                  {"source", r.source},
                  {"interface", r.interface}};
  const auto C = MetricType::Counter;
  const auto G = MetricType::Gauge;
  for (auto state : {stats::FlowState::kWaiting, stats::FlowState::kReceiving,
                     stats::FlowState::kStalled}) {
    f.Add("mcast_rx_state", G,
          "Receiver flow state: 1 for the current one of waiting, receiving, "
          "stalled.",
          With(probe, "state", stats::FlowStateName(state)),
          s.state == state ? 1 : 0);
  }
  f.Add("mcast_rx_stalls_total", C,
        "Stalls: gaps without a valid packet longer than the stall timeout.",
        probe, static_cast<double>(s.stalls));
  f.Add("mcast_rx_stalled_seconds_total", C,
        "Time spent in stalls, from the last packet before each gap.", probe,
        s.stalled_seconds);
  f.Add("mcast_rx_foreign_packets_total", C,
        "Datagrams on the group that are not mcast-tools probe packets.", probe,
        static_cast<double>(s.foreign));
  f.Add("mcast_rx_socket_drops_total", C,
        "Datagrams dropped by this host's socket buffer (SO_RXQ_OVFL), not by "
        "the network.",
        probe, static_cast<double>(r.socket_drops));
  f.Add("mcast_rx_joined", G,
        "1 when the group membership is present in /proc/net/igmp.", probe,
        r.joined ? 1 : 0);
  f.Add("mcast_rx_igmp_version", G,
        "IGMP version in effect on the receiver's interface (0 = unknown).",
        probe, r.igmp_version);
  if (s.last_packet_real_ns > 0) {
    f.Add("mcast_rx_last_packet_timestamp_seconds", G,
          "Unix time of the last valid probe packet.", probe,
          static_cast<double>(s.last_packet_real_ns) * 1e-9);
  }
  f.Add("mcast_rx_senders", G, "Senders currently tracked by the receiver.",
        probe, static_cast<double>(s.senders.size()));
  f.Add("mcast_rx_evicted_runs_total", C,
        "Sender runs evicted to make room (max_senders reached), least history "
        "first.",
        probe, static_cast<double>(s.evicted_runs));
  f.Add("mcast_rx_evicted_senders_total", C,
        "Sender addresses forgotten to make room; their counts stay in the "
        "receiver totals.",
        probe, static_cast<double>(s.evicted_senders));
  f.Add("mcast_rx_expired_senders_total", C,
        "Sender addresses forgotten after sender_expiry without a packet; "
        "their counts stay in the receiver totals.",
        probe, static_cast<double>(s.expired_senders));
  // Over every sender the receiver has seen, forgotten ones included, so
  // these never go down when per-sender series go.
  const stats::SequenceCounters& t = s.totals;
  f.Add("mcast_rx_receiver_packets_total", C,
        "Valid probe packets received from all senders.", probe,
        static_cast<double>(t.received));
  f.Add("mcast_rx_receiver_bytes_total", C,
        "UDP payload bytes of valid probe packets from all senders.", probe,
        static_cast<double>(s.total_bytes));
  f.Add("mcast_rx_receiver_unique_packets_total", C,
        "First copies of each sequence number, all senders.", probe,
        static_cast<double>(t.unique));
  f.Add("mcast_rx_receiver_lost_packets_total", C,
        "Sequence numbers declared lost, all senders.", probe,
        static_cast<double>(t.lost));
  f.Add("mcast_rx_receiver_pending_packets", G,
        "Missing sequence numbers still inside the reorder window, all "
        "senders.",
        probe, static_cast<double>(t.pending));
  f.Add("mcast_rx_receiver_duplicate_packets_total", C,
        "Packets whose sequence number was already seen, all senders.", probe,
        static_cast<double>(t.duplicates));
  f.Add("mcast_rx_receiver_reordered_packets_total", C,
        "Reordered packets (RFC 4737), all senders.", probe,
        static_cast<double>(t.reordered));
  f.Add("mcast_rx_receiver_late_packets_total", C,
        "Packets that arrived after being declared lost, all senders.", probe,
        static_cast<double>(t.late));
  f.Add("mcast_rx_receiver_stale_packets_total", C,
        "Packets too old to classify, all senders.", probe,
        static_cast<double>(t.stale));
  f.Add("mcast_rx_receiver_dscp_remarked_packets_total", C,
        "Packets received with another DSCP than the sender set, all senders.",
        probe, static_cast<double>(s.total_dscp_remarked));
  f.Add("mcast_rx_receiver_sender_restarts_total", C,
        "New sender ids seen from known sender addresses, all senders.", probe,
        static_cast<double>(s.total_restarts));
  (void)now;

  for (const stats::SenderSnapshot& v : s.senders) {
    Labels l = With(probe, "sender", v.source.ToString());
    const stats::SequenceCounters& c = v.sequence;
    f.Add("mcast_rx_packets_total", C, "Valid probe packets received.", l,
          static_cast<double>(c.received));
    f.Add("mcast_rx_bytes_total", C,
          "UDP payload bytes of valid probe packets.", l,
          static_cast<double>(v.bytes));
    f.Add("mcast_rx_unique_packets_total", C,
          "First copies of each sequence number (loss ratio = lost / (unique + "
          "lost)).",
          l, static_cast<double>(c.unique));
    f.Add("mcast_rx_lost_packets_total", C,
          "Sequence numbers declared lost after leaving the reorder window.", l,
          static_cast<double>(c.lost));
    f.Add("mcast_rx_pending_packets", G,
          "Missing sequence numbers still inside the reorder window.", l,
          static_cast<double>(c.pending));
    f.Add("mcast_rx_duplicate_packets_total", C,
          "Packets whose sequence number was already seen.", l,
          static_cast<double>(c.duplicates));
    f.Add("mcast_rx_reordered_packets_total", C,
          "Packets that arrived after a higher sequence number (RFC 4737).", l,
          static_cast<double>(c.reordered));
    f.Add("mcast_rx_reorder_extent_max", G,
          "Largest RFC 4737 reorder extent seen, in packets.", l,
          static_cast<double>(c.max_reorder_extent));
    f.Add("mcast_rx_late_packets_total", C,
          "Packets that arrived after being declared lost.", l,
          static_cast<double>(c.late));
    f.Add("mcast_rx_dscp_remarked_packets_total", C,
          "Packets received with another DSCP than the sender set.", l,
          static_cast<double>(v.dscp_remarked));
    f.Add("mcast_rx_hop_changes_total", C,
          "Changes of the hop count between packets (path changes).", l,
          static_cast<double>(v.hop_changes));
    f.Add("mcast_rx_sender_restarts_total", C,
          "New sender ids seen from this sender address.", l,
          static_cast<double>(v.restarts));
    f.Add("mcast_rx_sequence_discontinuities_total", C,
          "Confirmed jumps of the sequence number beyond the jump bound "
          "(same sender id, new numbering).",
          l, static_cast<double>(c.discontinuities));
    if (v.ttl >= 0) {
      f.Add("mcast_rx_ttl", G, "TTL of the last packet as received.", l, v.ttl);
      f.Add("mcast_rx_hops", G, "Sender TTL minus received TTL.", l, v.hops);
    }
    if (v.sender_ttl >= 0) {
      f.Add("mcast_rx_sender_ttl", G, "TTL the sender set.", l, v.sender_ttl);
    }
    if (v.dscp >= 0) {
      f.Add("mcast_rx_dscp", G, "DSCP of the last packet as received.", l,
            v.dscp);
      f.Add("mcast_rx_dscp_remarked", G,
            "1 when the last packet's DSCP differs from the sender's.", l,
            v.last_remarked ? 1 : 0);
    }
    if (v.sender_dscp >= 0) {
      f.Add("mcast_rx_sender_dscp", G, "DSCP the sender set.", l,
            v.sender_dscp);
    }
    f.Add("mcast_rx_jitter_seconds", G,
          "RFC 3550 interarrival jitter of the current sender run.", l,
          v.jitter_seconds);
    if (v.realtime_clock || v.delay.count > 0) {
      f.AddHistogram("mcast_rx_one_way_delay_seconds",
                     "One-way delay, only for senders stamping CLOCK_REALTIME "
                     "(needs synchronised clocks).",
                     l, v.delay);
    }
  }
}

void AddSender(FamilySet& f, const SenderProbeView& s) {
  Labels l = {
      {"probe", s.name}, {"group", s.group}, {"interface", s.interface}};
  const auto C = MetricType::Counter;
  const auto G = MetricType::Gauge;
  f.Add("mcast_tx_packets_total", C, "Probe packets sent.", l,
        static_cast<double>(s.counters.packets));
  f.Add("mcast_tx_bytes_total", C, "UDP payload bytes sent.", l,
        static_cast<double>(s.counters.bytes));
  f.Add("mcast_tx_errors_total", C,
        "Packets the kernel refused to send (no buffer, no route, link down).",
        l, static_cast<double>(s.counters.errors));
  f.Add("mcast_tx_target_packets_per_second", G, "Configured send rate.", l,
        s.target_pps);
  f.Add("mcast_tx_ttl", G, "TTL the sender sets.", l, s.ttl);
  f.Add("mcast_tx_dscp", G, "DSCP the sender sets.", l, s.dscp);
}

}  // namespace

std::vector<MetricFamily> BuildMetricFamilies(const MetricsView& view,
                                              int64_t now_mono_ns) {
  FamilySet f;
  f.Add("mcast_exporter_build_info", MetricType::Gauge,
        "Always 1; the version label names the running build.",
        {{"version", view.version}}, 1);
  f.Add("mcast_exporter_config_last_reload_successful", MetricType::Gauge,
        "1 when the last configuration load or reload succeeded.", {},
        view.last_reload_successful ? 1 : 0);
  f.Add("mcast_exporter_config_last_reload_success_timestamp_seconds",
        MetricType::Gauge,
        "Unix time of the last successful configuration load.", {},
        view.last_reload_success_timestamp_seconds);
  for (const auto& [name, up] : view.interfaces) {
    f.Add("mcast_interface_up", MetricType::Gauge,
          "1 when an interface used by a probe is up.", {{"interface", name}},
          up ? 1 : 0);
  }
  for (const ReceiverProbeView& r : view.receivers) {
    AddReceiver(f, r, now_mono_ns);
  }
  for (const SenderProbeView& s : view.senders) AddSender(f, s);
  return f.Take();
}

}  // namespace mcast::exporter
