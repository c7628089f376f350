#ifndef MCAST_CLI_JOIN_REPORT_H_
#define MCAST_CLI_JOIN_REPORT_H_

// How mcast-receive shows join ("zap") times (probe/join_latency.h): the
// last join's JSON and text, and the summary of a --zap run. Pure.
//
// "join": {"joins", "answered", "last_latency_seconds" (null while the
//   last join waits), "join_unix_ns", "first_packet_unix_ns",
//   "first_packet_sender_timestamp_ns", "first_packet_sender_realtime",
//   "first_packet_sequence"}
// "zap": {"joins", "answered", "missed", "min_seconds", "median_seconds",
//   "p95_seconds", "max_seconds", "interval_seconds", "samples": [{"join",
//   "latency_seconds" (null: no packet before the stall timeout),
//   "join_unix_ns", "first_packet_unix_ns",
//   "first_packet_sender_timestamp_ns", "first_packet_sender_realtime"}]}

#include <optional>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "probe/join_latency.h"

namespace mcast::cli {

nlohmann::ordered_json JoinJson(const probe::JoinLatency& join);
// "Join     12.3 ms to the first packet (3 joins)" / "Join     waiting for
// the first packet".
std::string JoinText(const probe::JoinLatency& join);

// One --zap join: a sample, or nullopt when no packet came before the
// stall timeout.
using ZapResult = std::optional<probe::JoinSample>;

struct ZapSummary {
  int joins = 0;
  int answered = 0;
  double min_seconds = 0, median_seconds = 0, p95_seconds = 0,
         max_seconds = 0;  // Of the answered joins (0 without any).
};

// Nearest-rank median and 95th percentile.
ZapSummary SummarizeZap(const std::vector<ZapResult>& results);
nlohmann::ordered_json ZapJson(const std::vector<ZapResult>& results,
                               double interval_seconds);
std::string ZapText(const std::vector<ZapResult>& results,
                    double stall_timeout_seconds);

}  // namespace mcast::cli

#endif  // MCAST_CLI_JOIN_REPORT_H_
