#include "cli/stream_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "stats/stall_detector.h"

namespace mcast::cli {
namespace {

std::string Rate(double bps) {
  if (bps >= 1e9) return absl::StrFormat("%.1f Gbit/s", bps / 1e9);
  if (bps >= 1e6) return absl::StrFormat("%.1f Mbit/s", bps / 1e6);
  if (bps >= 1e3) return absl::StrFormat("%.1f kbit/s", bps / 1e3);
  return absl::StrFormat("%.0f bit/s", bps);
}

bool IsRtp(streams::StreamKind k) {
  return k == streams::StreamKind::kRtp || k == streams::StreamKind::kMpegTsRtp;
}

}  // namespace

nlohmann::ordered_json StreamsJson(const streams::StreamTableSnapshot& s) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const streams::StreamSnapshot& f : s.streams) {
    nlohmann::ordered_json j;
    j["source"] = f.source.ToString();
    j["port"] = f.port;
    j["kind"] = streams::StreamKindName(f.kind);
    j["packets"] = f.packets;
    j["bytes"] = f.bytes;
    j["bit_rate_bps"] = f.bit_rate_bps;
    j["undecodable"] = f.undecodable;
    j["first_packet_unix_ns"] = f.first_packet_real_ns;
    j["last_packet_unix_ns"] = f.last_packet_real_ns;
    j["state"] = stats::FlowStateName(f.state);
    j["stalls"] = f.stalls;
    j["stalled_seconds"] = f.stalled_seconds;
    if (streams::StreamKindSequenced(f.kind)) {
      j["lost"] = f.sequence.lost;
      j["duplicates"] = f.sequence.duplicates;
      j["reordered"] = f.sequence.reordered;
      j["late"] = f.sequence.late;
      j["restarts"] = f.restarts;
    }
    if (IsRtp(f.kind)) {
      j["ssrc"] = f.ssrc;
      j["payload_type"] = f.payload_type;
      j["jitter_seconds"] = f.jitter_seconds;
    }
    if (f.kind == streams::StreamKind::kMoldUdp64) {
      j["session"] = f.session;
      j["heartbeats"] = f.heartbeats;
    }
    if (f.ts) {
      j["continuity_count_errors"] = f.ts->continuity_count_errors;
      j["sync_byte_errors"] = f.ts->sync_byte_errors;
      j["transport_errors"] = f.ts->transport_errors;
      j["pat_errors"] = f.ts->pat_errors;
      j["ts_packets"] = f.ts->ts_packets;
      j["duplicate_packets"] = f.ts->duplicate_packets;  // Legal repeats.
      j["discontinuities"] = f.ts->discontinuities;
      j["misaligned_datagrams"] = f.ts->misaligned_datagrams;
      j["rtp_header_errors"] = f.ts->rtp_header_errors;
    }
    a.push_back(std::move(j));
  }
  return a;
}

std::string StreamsText(const streams::StreamTableSnapshot& s) {
  std::string out;
  for (const streams::StreamSnapshot& f : s.streams) {
    absl::StrAppend(&out, f.source.ToString(), ":", f.port, " ",
                    streams::StreamKindLabel(f.kind), ", ",
                    Rate(f.bit_rate_bps), ", ", f.packets, " packets");
    if (streams::StreamKindSequenced(f.kind)) {
      absl::StrAppend(&out, ", lost ", f.sequence.lost);
    }
    if (f.ts) {
      absl::StrAppend(&out, ", CC errors ", f.ts->continuity_count_errors);
    }
    absl::StrAppend(&out, "\n");
  }
  if (s.evicted > 0) {
    absl::StrAppend(&out, "(", s.evicted, " sources evicted)\n");
  }
  return out;
}

}  // namespace mcast::cli
