#include "cli/join_report.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"

namespace mcast::cli {
namespace {

using nlohmann::ordered_json;

double Seconds(int64_t ns) { return static_cast<double>(ns) / 1e9; }

void AddSample(ordered_json& j, const probe::JoinSample& s) {
  j["join_unix_ns"] = s.join_real_ns;
  j["first_packet_unix_ns"] = s.first_packet_real_ns;
  j["first_packet_sender_timestamp_ns"] = s.first_packet_sent_ns;
  j["first_packet_sender_realtime"] = s.sender_realtime;
  j["first_packet_sequence"] = s.first_packet_sequence;
}

// Nearest rank: the smallest value with at least q of the samples at or
// below it.
double Rank(const std::vector<double>& sorted, double q) {
  const size_t n = sorted.size();
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(n)));
  rank = std::clamp<size_t>(rank, 1, n);
  return sorted[rank - 1];
}

}  // namespace

ordered_json JoinJson(const probe::JoinLatency& join) {
  ordered_json j;
  j["joins"] = join.joins();
  j["answered"] = join.histogram().count;
  const bool waiting = join.pending() || !join.last().has_value();
  j["last_latency_seconds"] =
      waiting ? ordered_json(nullptr)
              : ordered_json(Seconds(join.last()->latency_ns()));
  if (!waiting) AddSample(j, *join.last());
  return j;
}

std::string JoinText(const probe::JoinLatency& join) {
  if (join.pending() || !join.last().has_value()) {
    return absl::StrFormat("Join     waiting for the first packet (%d %s)\n",
                           join.joins(), join.joins() == 1 ? "join" : "joins");
  }
  return absl::StrFormat("Join     %.1f ms to the first packet (%d %s)\n",
                         Seconds(join.last()->latency_ns()) * 1e3, join.joins(),
                         join.joins() == 1 ? "join" : "joins");
}

ZapSummary SummarizeZap(const std::vector<ZapResult>& results) {
  ZapSummary s;
  s.joins = static_cast<int>(results.size());
  std::vector<double> v;
  for (const ZapResult& r : results) {
    if (r) v.push_back(Seconds(r->latency_ns()));
  }
  s.answered = static_cast<int>(v.size());
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.min_seconds = v.front();
  s.max_seconds = v.back();
  s.median_seconds = Rank(v, 0.5);
  s.p95_seconds = Rank(v, 0.95);
  return s;
}

ordered_json ZapJson(const std::vector<ZapResult>& results,
                     double interval_seconds) {
  const ZapSummary s = SummarizeZap(results);
  ordered_json j;
  j["joins"] = s.joins;
  j["answered"] = s.answered;
  j["missed"] = s.joins - s.answered;
  auto stat = [&](double v) {
    return s.answered > 0 ? ordered_json(v) : ordered_json(nullptr);
  };
  j["min_seconds"] = stat(s.min_seconds);
  j["median_seconds"] = stat(s.median_seconds);
  j["p95_seconds"] = stat(s.p95_seconds);
  j["max_seconds"] = stat(s.max_seconds);
  j["interval_seconds"] = interval_seconds;
  ordered_json samples = ordered_json::array();
  for (size_t i = 0; i < results.size(); ++i) {
    ordered_json o;
    o["join"] = i + 1;
    if (results[i]) {
      o["latency_seconds"] = Seconds(results[i]->latency_ns());
      AddSample(o, *results[i]);
    } else {
      o["latency_seconds"] = nullptr;
    }
    samples.push_back(std::move(o));
  }
  j["samples"] = std::move(samples);
  return j;
}

std::string ZapText(const std::vector<ZapResult>& results,
                    double stall_timeout_seconds) {
  const ZapSummary s = SummarizeZap(results);
  std::string out =
      absl::StrFormat("Zap      %d joins, %d answered", s.joins, s.answered);
  if (s.answered > 0) {
    absl::StrAppendFormat(&out,
                          ": min %.1f ms, median %.1f ms, p95 %.1f ms, max "
                          "%.1f ms",
                          s.min_seconds * 1e3, s.median_seconds * 1e3,
                          s.p95_seconds * 1e3, s.max_seconds * 1e3);
  }
  absl::StrAppendFormat(&out, "; %d without a packet within %.3g s\n",
                        s.joins - s.answered, stall_timeout_seconds);
  return out;
}

}  // namespace mcast::cli
