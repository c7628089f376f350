#include "exporter/metric_catalog.h"

#include <array>
#include <cstddef>

namespace mcast::exporter {
namespace {

using L = std::string_view;
constexpr std::array<L, 0> kNoLabels{};
constexpr std::array<L, 1> kVersion{"version"};
constexpr std::array<L, 1> kInterface{"interface"};
constexpr std::array<L, 2> kQuerier{"interface", "protocol"};
constexpr std::array<L, 3> kQuerierInfoLabels{"interface", "address",
                                              "version"};
constexpr std::array<L, 4> kReceiver{"probe", "group", "source", "interface"};
constexpr std::array<L, 5> kReceiverState{"probe", "group", "source",
                                          "interface", "state"};
constexpr std::array<L, 5> kReceiverSender{"probe", "group", "source",
                                           "interface", "sender"};
// A non-probe source on a receiver's group: `source` is taken (the
// receiver's SSM source), so the datagrams' source address is `sender` as
// for probe senders, with its UDP port and the decoder that reads it.
constexpr std::array<L, 7> kStream{"probe",     "group",  "source",
                                   "interface", "sender", "sender_port",
                                   "decoder"};
constexpr std::array<L, 8> kStreamPid{"probe",     "group",  "source",
                                      "interface", "sender", "sender_port",
                                      "decoder",   "pid"};
// A sender probe has no source: it is the source.
constexpr std::array<L, 3> kSender{"probe", "group", "interface"};

// The same classes from a [[mesh]] probe: the member names next to the
// addresses they name (metric_catalog.h, MetricSpec::mesh_labels).
constexpr std::array<L, 6> kMeshReceiver{"probe",     "group", "source",
                                         "interface", "mesh",  "receiver_name"};
constexpr std::array<L, 7> kMeshReceiverState{
    "probe", "group", "source", "interface", "mesh", "receiver_name", "state"};
constexpr std::array<L, 8> kMeshReceiverSender{
    "probe", "group",         "source", "interface",
    "mesh",  "receiver_name", "sender", "sender_name"};
constexpr std::array<L, 9> kMeshStream{
    "probe",         "group",  "source",      "interface", "mesh",
    "receiver_name", "sender", "sender_port", "decoder"};
constexpr std::array<L, 10> kMeshStreamPid{
    "probe",         "group",  "source",      "interface", "mesh",
    "receiver_name", "sender", "sender_port", "decoder",   "pid"};
constexpr std::array<L, 5> kMeshSender{"probe", "group", "interface", "mesh",
                                       "sender_name"};
// Per mesh, and per pair (peer sender -> this receiver).
constexpr std::array<L, 1> kMesh{"mesh"};
constexpr std::array<L, 3> kMeshSelf{"mesh", "member", "address"};
constexpr std::array<L, 4> kMeshPeer{"mesh", "sender_name", "receiver_name",
                                     "state"};

constexpr MetricType C = MetricType::kCounter;
constexpr MetricType G = MetricType::kGauge;
constexpr MetricType H = MetricType::kHistogram;
using enum Metric;

constexpr MetricSpec kCatalog[] = {
    {kExporterBuildInfo, "mcast_exporter_build_info", G,
     "Always 1; the version label names the running build.", kVersion},
    {kExporterConfigLastReloadSuccessful,
     "mcast_exporter_config_last_reload_successful", G,
     "1 when the last configuration load or reload succeeded.", kNoLabels},
    {kExporterConfigLastReloadSuccessTimestampSeconds,
     "mcast_exporter_config_last_reload_success_timestamp_seconds", G,
     "Unix time of the last successful configuration load.", kNoLabels},
    {kExporterWebConfigLastReloadSuccessful,
     "mcast_exporter_web_config_last_reload_successful", G,
     "1 when the last load or reload of --web.config.file succeeded (1 "
     "without one).",
     kNoLabels},
    {kInterfaceUp, "mcast_interface_up", G,
     "1 when an interface used by a probe is up.", kInterface},

    {kRxState, "mcast_rx_state", G,
     "Receiver flow state: 1 for the current one of waiting, receiving, "
     "stalled.",
     kReceiverState, kMeshReceiverState},
    {kRxStallsTotal, "mcast_rx_stalls_total", C,
     "Stalls: gaps without a valid packet longer than the stall timeout.",
     kReceiver, kMeshReceiver},
    {kRxStalledSecondsTotal, "mcast_rx_stalled_seconds_total", C,
     "Time spent in stalls, from the last packet before each gap.", kReceiver,
     kMeshReceiver},
    {kRxForeignPacketsTotal, "mcast_rx_foreign_packets_total", C,
     "Datagrams on the group that are not mcast-tools probe packets.",
     kReceiver, kMeshReceiver},
    {kRxSocketDropsTotal, "mcast_rx_socket_drops_total", C,
     "Datagrams dropped by this host's socket buffer (SO_RXQ_OVFL), not by "
     "the network.",
     kReceiver, kMeshReceiver},
    {kRxJoined, "mcast_rx_joined", G,
     "1 when the group membership is present in /proc/net/igmp.", kReceiver,
     kMeshReceiver},
    {kRxIgmpVersion, "mcast_rx_igmp_version", G,
     "IGMP version in effect on the receiver's interface (0 = unknown).",
     kReceiver, kMeshReceiver},
    {kRxMldVersion, "mcast_rx_mld_version", G,
     "MLD version in effect on an IPv6 receiver's interface: the forced "
     "force_mld_version, else the kind of MLD report the interface sent "
     "(0 = unknown).",
     kReceiver, kMeshReceiver},
    {kRxLastPacketTimestampSeconds, "mcast_rx_last_packet_timestamp_seconds", G,
     "Unix time of the last valid probe packet.", kReceiver, kMeshReceiver},
    {kRxSenders, "mcast_rx_senders", G,
     "Senders currently tracked by the receiver.", kReceiver, kMeshReceiver},
    {kRxEvictedRunsTotal, "mcast_rx_evicted_runs_total", C,
     "Sender runs evicted to make room (max_senders reached), least history "
     "first.",
     kReceiver, kMeshReceiver},
    {kRxEvictedSendersTotal, "mcast_rx_evicted_senders_total", C,
     "Sender addresses forgotten to make room; their counts stay in the "
     "receiver totals.",
     kReceiver, kMeshReceiver},
    {kRxExpiredSendersTotal, "mcast_rx_expired_senders_total", C,
     "Sender addresses forgotten after sender_expiry without a packet; "
     "their counts stay in the receiver totals.",
     kReceiver, kMeshReceiver},
    {kRxReceiverPacketsTotal, "mcast_rx_receiver_packets_total", C,
     "Valid probe packets received from all senders.", kReceiver,
     kMeshReceiver},
    {kRxReceiverBytesTotal, "mcast_rx_receiver_bytes_total", C,
     "UDP payload bytes of valid probe packets from all senders.", kReceiver,
     kMeshReceiver},
    {kRxReceiverUniquePacketsTotal, "mcast_rx_receiver_unique_packets_total", C,
     "First copies of each sequence number, all senders.", kReceiver,
     kMeshReceiver},
    {kRxReceiverLostPacketsTotal, "mcast_rx_receiver_lost_packets_total", C,
     "Sequence numbers declared lost, all senders.", kReceiver, kMeshReceiver},
    {kRxReceiverPendingPackets, "mcast_rx_receiver_pending_packets", G,
     "Missing sequence numbers still inside the reorder window, all "
     "senders.",
     kReceiver, kMeshReceiver},
    {kRxReceiverDuplicatePacketsTotal,
     "mcast_rx_receiver_duplicate_packets_total", C,
     "Packets whose sequence number was already seen, all senders.", kReceiver,
     kMeshReceiver},
    {kRxReceiverReorderedPacketsTotal,
     "mcast_rx_receiver_reordered_packets_total", C,
     "Reordered packets (RFC 4737), all senders.", kReceiver, kMeshReceiver},
    {kRxReceiverLatePacketsTotal, "mcast_rx_receiver_late_packets_total", C,
     "Packets that arrived after being declared lost, all senders.", kReceiver,
     kMeshReceiver},
    {kRxReceiverStalePacketsTotal, "mcast_rx_receiver_stale_packets_total", C,
     "Packets too old to classify, all senders.", kReceiver, kMeshReceiver},
    {kRxReceiverDscpRemarkedPacketsTotal,
     "mcast_rx_receiver_dscp_remarked_packets_total", C,
     "Packets received with another DSCP than the sender set, all senders.",
     kReceiver, kMeshReceiver},
    {kRxReceiverSenderRestartsTotal, "mcast_rx_receiver_sender_restarts_total",
     C, "New sender ids seen from known sender addresses, all senders.",
     kReceiver, kMeshReceiver},

    {kRxPacketsTotal, "mcast_rx_packets_total", C,
     "Valid probe packets received.", kReceiverSender, kMeshReceiverSender},
    {kRxBytesTotal, "mcast_rx_bytes_total", C,
     "UDP payload bytes of valid probe packets.", kReceiverSender,
     kMeshReceiverSender},
    {kRxUniquePacketsTotal, "mcast_rx_unique_packets_total", C,
     "First copies of each sequence number (loss ratio = lost / (unique + "
     "lost)).",
     kReceiverSender, kMeshReceiverSender},
    {kRxLostPacketsTotal, "mcast_rx_lost_packets_total", C,
     "Sequence numbers declared lost after leaving the reorder window.",
     kReceiverSender, kMeshReceiverSender},
    {kRxPendingPackets, "mcast_rx_pending_packets", G,
     "Missing sequence numbers still inside the reorder window.",
     kReceiverSender, kMeshReceiverSender},
    {kRxDuplicatePacketsTotal, "mcast_rx_duplicate_packets_total", C,
     "Packets whose sequence number was already seen.", kReceiverSender,
     kMeshReceiverSender},
    {kRxReorderedPacketsTotal, "mcast_rx_reordered_packets_total", C,
     "Packets that arrived after a higher sequence number (RFC 4737).",
     kReceiverSender, kMeshReceiverSender},
    {kRxReorderExtentMax, "mcast_rx_reorder_extent_max", G,
     "Largest RFC 4737 reorder extent seen, in packets.", kReceiverSender,
     kMeshReceiverSender},
    {kRxLatePacketsTotal, "mcast_rx_late_packets_total", C,
     "Packets that arrived after being declared lost.", kReceiverSender,
     kMeshReceiverSender},
    {kRxDscpRemarkedPacketsTotal, "mcast_rx_dscp_remarked_packets_total", C,
     "Packets received with another DSCP than the sender set.", kReceiverSender,
     kMeshReceiverSender},
    {kRxHopChangesTotal, "mcast_rx_hop_changes_total", C,
     "Changes of the hop count between packets (path changes).",
     kReceiverSender, kMeshReceiverSender},
    {kRxSenderRestartsTotal, "mcast_rx_sender_restarts_total", C,
     "New sender ids seen from this sender address.", kReceiverSender,
     kMeshReceiverSender},
    {kRxSequenceDiscontinuitiesTotal, "mcast_rx_sequence_discontinuities_total",
     C,
     "Confirmed jumps of the sequence number beyond the jump bound "
     "(same sender id, new numbering).",
     kReceiverSender, kMeshReceiverSender},
    {kRxTtl, "mcast_rx_ttl", G, "TTL of the last packet as received.",
     kReceiverSender, kMeshReceiverSender},
    {kRxHops, "mcast_rx_hops", G, "Sender TTL minus received TTL.",
     kReceiverSender, kMeshReceiverSender},
    {kRxSenderTtl, "mcast_rx_sender_ttl", G, "TTL the sender set.",
     kReceiverSender, kMeshReceiverSender},
    {kRxDscp, "mcast_rx_dscp", G, "DSCP of the last packet as received.",
     kReceiverSender, kMeshReceiverSender},
    {kRxDscpRemarked, "mcast_rx_dscp_remarked", G,
     "1 when the last packet's DSCP differs from the sender's.",
     kReceiverSender, kMeshReceiverSender},
    {kRxSenderDscp, "mcast_rx_sender_dscp", G, "DSCP the sender set.",
     kReceiverSender, kMeshReceiverSender},
    {kRxJitterSeconds, "mcast_rx_jitter_seconds", G,
     "RFC 3550 interarrival jitter of the current sender run.", kReceiverSender,
     kMeshReceiverSender},
    {kRxOneWayDelaySeconds, "mcast_rx_one_way_delay_seconds", H,
     "One-way delay, only for senders stamping CLOCK_REALTIME "
     "(needs synchronised clocks).",
     kReceiverSender, kMeshReceiverSender},

    {kTxPacketsTotal, "mcast_tx_packets_total", C, "Probe packets sent.",
     kSender, kMeshSender},
    {kTxBytesTotal, "mcast_tx_bytes_total", C, "UDP payload bytes sent.",
     kSender, kMeshSender},
    {kTxErrorsTotal, "mcast_tx_errors_total", C,
     "Packets the kernel refused to send (no buffer, no route, link down).",
     kSender, kMeshSender},
    {kTxTargetPacketsPerSecond, "mcast_tx_target_packets_per_second", G,
     "Configured send rate.", kSender, kMeshSender},
    {kTxTtl, "mcast_tx_ttl", G, "TTL the sender sets.", kSender, kMeshSender},
    {kTxDscp, "mcast_tx_dscp", G, "DSCP the sender sets.", kSender,
     kMeshSender},

    {kRxJoinLatencySeconds, "mcast_rx_join_latency_seconds", H,
     "Time from each join (the first, and every re-join) to the first valid "
     "probe packet.",
     kReceiver, kMeshReceiver},

    {kQuerierInfo, "mcast_querier_info", G,
     "Always 1: the last IGMP/MLD querier seen on an interface a receiver "
     "uses (version IGMPv1-3, MLDv1-2).",
     kQuerierInfoLabels},
    {kQuerierUp, "mcast_querier_up", G,
     "1 while general queries come, 0 after none for robustness x query "
     "interval + max response time; absent until that is known.",
     kQuerier},
    {kQuerierVersion, "mcast_querier_version", G,
     "Version of the last query (IGMP 1-3, MLD 1-2).", kQuerier},
    {kQuerierVersionExpected, "mcast_querier_version_expected", G,
     "Highest IGMP/MLD version the receivers on the interface are configured "
     "for.",
     kQuerier},
    {kQuerierLastQueryTimestampSeconds,
     "mcast_querier_last_query_timestamp_seconds", G,
     "Unix time of the last general query.", kQuerier},
    {kQuerierQueriesTotal, "mcast_querier_queries_total", C,
     "Queries seen (general and group-specific).", kQuerier},

    {kRxStreamSources, "mcast_rx_stream_sources", G,
     "Non-probe sources (address, port) tracked on the group, at most 64.",
     kReceiver, kMeshReceiver},
    {kRxStreamEvictedSourcesTotal, "mcast_rx_stream_evicted_sources_total", C,
     "Non-probe sources dropped to make room for new ones, least history "
     "first.",
     kReceiver, kMeshReceiver},
    {kRxStreamPacketsTotal, "mcast_rx_stream_packets_total", C,
     "Datagrams from a non-probe source, decoded or not.", kStream,
     kMeshStream},
    {kRxStreamBytesTotal, "mcast_rx_stream_bytes_total", C,
     "UDP payload bytes from a non-probe source.", kStream, kMeshStream},
    {kRxStreamFirstPacketTimestampSeconds,
     "mcast_rx_stream_first_packet_timestamp_seconds", G,
     "Unix time of the source's first datagram since it entered the table.",
     kStream, kMeshStream},
    {kRxStreamLastPacketTimestampSeconds,
     "mcast_rx_stream_last_packet_timestamp_seconds", G,
     "Unix time of the source's last datagram.", kStream, kMeshStream},
    {kRxStreamStalled, "mcast_rx_stream_stalled", G,
     "1 while the source is stalled: it sent and then nothing for longer than "
     "the stall timeout (mcast_rx_state{state=\"stalled\"} for probes).",
     kStream, kMeshStream},
    {kRxStreamStallsTotal, "mcast_rx_stream_stalls_total", C,
     "Gaps without a datagram from the source longer than the stall timeout.",
     kStream, kMeshStream},
    {kRxStreamStalledSecondsTotal, "mcast_rx_stream_stalled_seconds_total", C,
     "Time the source spent in stalls, from its last datagram before each "
     "gap.",
     kStream, kMeshStream},
    {kRxStreamUndecodablePacketsTotal,
     "mcast_rx_stream_undecodable_packets_total", C,
     "Datagrams the source's decoder could not read (RTP version not 2, "
     "sequence field beyond the datagram, bad MoldUDP64 header).",
     kStream, kMeshStream},
    {kRxStreamUniquePacketsTotal, "mcast_rx_stream_unique_packets_total", C,
     "First copies of each sequence number (MoldUDP64: messages), every run "
     "of the source.",
     kStream, kMeshStream},
    {kRxStreamLostPacketsTotal, "mcast_rx_stream_lost_packets_total", C,
     "Sequence numbers declared lost (RTP packets, MoldUDP64 messages), as "
     "mcast_rx_lost_packets_total for probes.",
     kStream, kMeshStream},
    {kRxStreamDuplicatePacketsTotal, "mcast_rx_stream_duplicate_packets_total",
     C, "Sequence numbers already seen.", kStream, kMeshStream},
    {kRxStreamReorderedPacketsTotal, "mcast_rx_stream_reordered_packets_total",
     C, "Packets that arrived after a higher sequence number (RFC 4737).",
     kStream, kMeshStream},
    {kRxStreamLatePacketsTotal, "mcast_rx_stream_late_packets_total", C,
     "Packets that arrived after being declared lost.", kStream, kMeshStream},
    {kRxStreamRestartsTotal, "mcast_rx_stream_restarts_total", C,
     "New RTP SSRCs or MoldUDP64 sessions from the same source.", kStream,
     kMeshStream},
    {kRxStreamJitterSeconds, "mcast_rx_stream_jitter_seconds", G,
     "RFC 3550 interarrival jitter of the current RTP run, from the RTP "
     "timestamps at rtp_clock_rate.",
     kStream, kMeshStream},
    {kRxStreamTsPacketsTotal, "mcast_rx_stream_ts_packets_total", C,
     "188-byte MPEG-TS packets from the source.", kStream, kMeshStream},
    {kRxStreamTsSyncByteErrorsTotal,
     "mcast_rx_stream_ts_sync_byte_errors_total", C,
     "TR 101 290 1.2 Sync_byte_error: TS packets not starting with 0x47.",
     kStream, kMeshStream},
    {kRxStreamTsContinuityCountErrorsTotal,
     "mcast_rx_stream_ts_continuity_count_errors_total", C,
     "TR 101 290 1.4 Continuity_count_error: a gap, out of order or more "
     "than one repeat, per PID.",
     kStream, kMeshStream},
    {kRxStreamTsTransportErrorsTotal,
     "mcast_rx_stream_ts_transport_errors_total", C,
     "TS packets with the transport_error_indicator set (TR 101 290 2.1).",
     kStream, kMeshStream},
    {kRxStreamTsPatErrorsTotal, "mcast_rx_stream_ts_pat_errors_total", C,
     "TR 101 290 1.3 PAT_error: no PAT for more than 0.5 s, a wrong table_id "
     "or scrambling on PID 0.",
     kStream, kMeshStream},
    {kRxStreamTsPidPacketsTotal, "mcast_rx_stream_ts_pid_packets_total", C,
     "TS packets per PID: the first 32 PIDs of a source, then "
     "pid=\"overflow\".",
     kStreamPid, kMeshStreamPid},
    {kRxStreamTsPidContinuityCountErrorsTotal,
     "mcast_rx_stream_ts_pid_continuity_count_errors_total", C,
     "Continuity_count_error per PID, capped like "
     "mcast_rx_stream_ts_pid_packets_total.",
     kStreamPid, kMeshStreamPid},

    {kMeshMembers, "mcast_mesh_members", G,
     "Members configured in the [[mesh]], this host's included.", kMesh},
    {kMeshSelfInfo, "mcast_mesh_self_info", G,
     "Always 1: the member of the [[mesh]] this exporter is (self-detected "
     "by address or --mesh-member) and its sending address.",
     kMeshSelf},
    {kMeshPeerState, "mcast_mesh_peer_state", G,
     "Per peer of the mesh (sender_name) at this member (receiver_name): 1 "
     "for the current one of waiting (nothing since start or join), "
     "receiving, stalled (no valid packet for stall_timeout); never expires.",
     kMeshPeer},
};

// SpecOf indexes the table by id, so an entry missing, doubled or out of
// place must not compile.
constexpr bool IndexedById() {
  if (std::size(kCatalog) != static_cast<size_t>(Metric::kCount)) return false;
  for (size_t i = 0; i < std::size(kCatalog); ++i) {
    if (static_cast<size_t>(kCatalog[i].id) != i) return false;
  }
  return true;
}
static_assert(IndexedById(), "kCatalog must hold every Metric once, in order");

}  // namespace

std::string_view MetricTypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

const MetricSpec& SpecOf(Metric metric) {
  return kCatalog[static_cast<size_t>(metric)];
}

std::span<const MetricSpec> MetricCatalog() { return kCatalog; }

}  // namespace mcast::exporter
