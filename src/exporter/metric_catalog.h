#ifndef MCAST_EXPORTER_METRIC_CATALOG_H_
#define MCAST_EXPORTER_METRIC_CATALOG_H_

// Every metric mcast-exporter serves, declared once: name, type, help and
// label names. They are a contract with the shipped dashboards and alert
// rules, so nothing else spells them: metric_families.cc builds /metrics
// from these entries (it supplies only label values), `mcast-exporter
// --print-metrics` prints them as JSON, and the README table, the dashboard
// lint and the rule tests are checked against that output.

#include <span>
#include <string_view>

namespace mcast::exporter {

enum class MetricType { kCounter, kGauge, kHistogram };

// "counter", "gauge" or "histogram", as in the exposition format's # TYPE.
std::string_view MetricTypeName(MetricType type);

// One entry per metric; the catalog holds them in this order.
enum class Metric {
  kExporterBuildInfo,
  kExporterConfigLastReloadSuccessful,
  kExporterConfigLastReloadSuccessTimestampSeconds,
  kExporterWebConfigLastReloadSuccessful,
  kInterfaceUp,
  // Per receiver probe.
  kRxState,
  kRxStallsTotal,
  kRxStalledSecondsTotal,
  kRxForeignPacketsTotal,
  kRxSocketDropsTotal,
  kRxJoined,
  kRxIgmpVersion,
  kRxMldVersion,
  kRxLastPacketTimestampSeconds,
  kRxSenders,
  kRxEvictedRunsTotal,
  kRxEvictedSendersTotal,
  kRxExpiredSendersTotal,
  kRxReceiverPacketsTotal,
  kRxReceiverBytesTotal,
  kRxReceiverUniquePacketsTotal,
  kRxReceiverLostPacketsTotal,
  kRxReceiverPendingPackets,
  kRxReceiverDuplicatePacketsTotal,
  kRxReceiverReorderedPacketsTotal,
  kRxReceiverLatePacketsTotal,
  kRxReceiverStalePacketsTotal,
  kRxReceiverDscpRemarkedPacketsTotal,
  kRxReceiverSenderRestartsTotal,
  // Per sender seen by a receiver probe.
  kRxPacketsTotal,
  kRxBytesTotal,
  kRxUniquePacketsTotal,
  kRxLostPacketsTotal,
  kRxPendingPackets,
  kRxDuplicatePacketsTotal,
  kRxReorderedPacketsTotal,
  kRxReorderExtentMax,
  kRxLatePacketsTotal,
  kRxDscpRemarkedPacketsTotal,
  kRxHopChangesTotal,
  kRxSenderRestartsTotal,
  kRxSequenceDiscontinuitiesTotal,
  kRxTtl,
  kRxHops,
  kRxSenderTtl,
  kRxDscp,
  kRxDscpRemarked,
  kRxSenderDscp,
  kRxJitterSeconds,
  kRxOneWayDelaySeconds,
  // Per sender probe.
  kTxPacketsTotal,
  kTxBytesTotal,
  kTxErrorsTotal,
  kTxTargetPacketsPerSecond,
  kTxTtl,
  kTxDscp,
  // Per receiver probe, after the senders (added later; /metrics follows
  // the catalog's order).
  kRxJoinLatencySeconds,
  // Per interface a receiver uses and protocol (IGMP for IPv4 receivers,
  // MLD for IPv6 ones): its querier (net/querier_table.h).
  kQuerierInfo,
  kQuerierUp,
  kQuerierVersion,
  kQuerierVersionExpected,
  kQuerierLastQueryTimestampSeconds,
  kQuerierQueriesTotal,
  // Per receiver probe: the non-probe sources on its group (streams/).
  kRxStreamSources,
  kRxStreamEvictedSourcesTotal,
  // Per source (address, port) of a receiver's stream table.
  kRxStreamPacketsTotal,
  kRxStreamBytesTotal,
  kRxStreamFirstPacketTimestampSeconds,
  kRxStreamLastPacketTimestampSeconds,
  kRxStreamStalled,
  kRxStreamStallsTotal,
  kRxStreamStalledSecondsTotal,
  kRxStreamUndecodablePacketsTotal,
  kRxStreamUniquePacketsTotal,
  kRxStreamLostPacketsTotal,
  kRxStreamDuplicatePacketsTotal,
  kRxStreamReorderedPacketsTotal,
  kRxStreamLatePacketsTotal,
  kRxStreamRestartsTotal,
  kRxStreamJitterSeconds,
  kRxStreamTsPacketsTotal,
  kRxStreamTsSyncByteErrorsTotal,
  kRxStreamTsContinuityCountErrorsTotal,
  kRxStreamTsTransportErrorsTotal,
  kRxStreamTsPatErrorsTotal,
  // Per PID of an MPEG-TS source (32 PIDs, then one "overflow" bucket).
  kRxStreamTsPidPacketsTotal,
  kRxStreamTsPidContinuityCountErrorsTotal,
  // Per [[mesh]] (issue 17): its configured members, this host's member,
  // and per peer (every member but this one) the state of its flow here.
  kMeshMembers,
  kMeshSelfInfo,
  kMeshPeerState,
  kCount,  // Not a metric: the number of them.
};

struct MetricSpec {
  Metric id;
  std::string_view name;
  MetricType type;
  std::string_view help;
  // In the order the exporter writes them; a histogram adds `le`.
  std::span<const std::string_view> labels;
  // The labels of the same family's series from a [[mesh]] probe (empty:
  // the family has no mesh series): `labels` with `mesh` and
  // `receiver_name` after a receiver's four, `sender_name` after `sender`,
  // and `mesh`, `sender_name` after a sender's three. Series of probes that
  // are not a mesh's carry exactly `labels`.
  std::span<const std::string_view> mesh_labels = {};
};

// The label names a mesh adds (MetricSpec::mesh_labels).
inline constexpr std::string_view kMeshLabel = "mesh";
inline constexpr std::string_view kReceiverNameLabel = "receiver_name";
inline constexpr std::string_view kSenderNameLabel = "sender_name";

const MetricSpec& SpecOf(Metric metric);

// All of them, in the order of Metric.
std::span<const MetricSpec> MetricCatalog();

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_METRIC_CATALOG_H_
