#include "cli/receive_report.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/host_port.h"
#include "cli/time_format.h"
#include "util/dscp.h"

namespace mcast::cli {
namespace {

using nlohmann::ordered_json;

std::string HexId(uint32_t id) { return absl::StrFormat("0x%08x", id); }

ordered_json DscpJson(int dscp) {
  if (dscp < 0) return nullptr;
  return util::DscpName(dscp);
}

ordered_json IntOrNull(int v) {
  if (v < 0) return nullptr;
  return v;
}

double Percent(uint64_t part, uint64_t whole) {
  return whole == 0
             ? 0.0
             : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

std::string Upper(const std::string& s) { return absl::AsciiStrToUpper(s); }

}  // namespace

std::string DescribeTtl(const stats::SenderSnapshot& s) {
  if (s.ttl < 0) return absl::StrCat("unknown, sender set ", s.sender_ttl);
  std::string hops;
  if (s.hops == 0) {
    hops = "same link";
  } else if (s.hops < 0) {
    hops = "TTL grew: sender header and path disagree";
  } else {
    hops = absl::StrCat(s.hops, s.hops == 1 ? " hop away" : " hops away");
  }
  return absl::StrCat("recv ", s.ttl, ", sender set ", s.sender_ttl, " - ",
                      hops);
}

std::string DescribeDscp(const stats::SenderSnapshot& s) {
  std::string sent = Upper(util::DscpName(s.sender_dscp));
  if (s.dscp < 0) return absl::StrCat("unknown, sender set ", sent);
  std::string got = Upper(util::DscpName(s.dscp));
  if (s.dscp == s.sender_dscp) return absl::StrCat(got, " (as sent)");
  return absl::StrCat(got, ", sender set ", sent, " - REMARKED");
}

ordered_json ReceiveJson(const ReceiveContext& ctx,
                         const stats::ReceiverSnapshot& snap,
                         int64_t now_mono_ns) {
  ordered_json j;
  j["group"] = ctx.group;
  j["source"] = ctx.source ? ordered_json(*ctx.source) : ordered_json(nullptr);
  j["port"] = ctx.port;
  j["interface"] = ctx.interface;
  j["igmp_version"] = ctx.igmp_version;
  j["igmp_version_requested"] = ctx.igmp_requested;
  j["duration_seconds"] = ctx.elapsed_seconds;
  j["state"] = stats::FlowStateName(snap.state);
  j["stall_timeout_seconds"] = ctx.stall_timeout_seconds;

  const stats::SequenceCounters& t = snap.totals;
  ordered_json totals;
  totals["packets"] = t.received;
  totals["bytes"] = snap.total_bytes;
  totals["unique"] = t.unique;
  totals["lost"] = t.lost;
  totals["pending"] = t.pending;
  totals["duplicates"] = t.duplicates;
  totals["reordered"] = t.reordered;
  totals["late"] = t.late;
  totals["stale"] = t.stale;
  totals["foreign"] = snap.foreign;
  totals["restarts"] = snap.total_restarts;
  totals["discontinuities"] = t.discontinuities;
  totals["ignored_jumps"] = t.ignored_jumps;
  totals["stalls"] = snap.stalls;
  totals["stalled_seconds"] = snap.stalled_seconds;
  totals["dscp_remarked"] = snap.total_dscp_remarked;
  totals["socket_drops"] = ctx.socket_drops;
  totals["evicted_senders"] = snap.evicted_runs;  // Runs, despite the name.
  totals["evicted_addresses"] = snap.evicted_senders;
  totals["expired_senders"] = snap.expired_senders;
  j["totals"] = totals;

  ordered_json senders = ordered_json::array();
  for (const stats::SenderSnapshot& s : snap.senders) {
    const stats::SequenceCounters& c = s.sequence;
    ordered_json o;
    o["source"] = s.source.ToString();
    o["sender_id"] = HexId(s.sender_id);
    o["packets"] = c.received;
    o["bytes"] = s.bytes;
    o["unique"] = c.unique;
    o["lost"] = c.lost;
    o["pending"] = c.pending;
    o["duplicates"] = c.duplicates;
    o["reordered"] = c.reordered;
    o["max_reorder_extent"] = c.max_reorder_extent;
    o["late"] = c.late;
    o["stale"] = c.stale;
    o["ttl"] = IntOrNull(s.ttl);
    o["sender_ttl"] = IntOrNull(s.sender_ttl);
    o["hops"] = s.ttl < 0 ? ordered_json(nullptr) : ordered_json(s.hops);
    o["hop_changes"] = s.hop_changes;
    o["dscp"] = DscpJson(s.dscp);
    o["sender_dscp"] = DscpJson(s.sender_dscp);
    o["dscp_remarked"] = s.dscp_remarked;
    o["restarts"] = s.restarts;
    o["discontinuities"] = c.discontinuities;
    o["ignored_jumps"] = c.ignored_jumps;
    o["jitter_seconds"] = s.jitter_seconds;
    if (s.delay.count > 0) {
      o["one_way_delay_seconds"] = {
          {"min", s.delay.min_seconds},
          {"avg", s.delay.sum_seconds / static_cast<double>(s.delay.count)},
          {"max", s.delay.max_seconds}};
    } else {
      o["one_way_delay_seconds"] = nullptr;
    }
    o["clock"] = s.realtime_clock ? "realtime" : "monotonic";
    o["first_seq"] = s.first_seq;
    o["last_seq"] = s.last_seq;
    o["finished"] = s.finished;
    ordered_json extents = ordered_json::object();
    for (int b = 0; b < stats::kReorderExtentBuckets; ++b) {
      uint64_t limit = stats::ReorderExtentBucketLimit(b);
      extents[limit == 0 ? "+Inf" : absl::StrCat(limit)] = c.reorder_extents[b];
    }
    o["reorder_extents"] = extents;
    senders.push_back(o);
  }
  j["senders"] = senders;

  ordered_json gaps = ordered_json::array();
  for (const stats::GapEvent& g : snap.gaps) {
    gaps.push_back({{"start", Iso8601Utc(g.start_real_ns)},
                    {"duration_seconds",
                     static_cast<double>(g.DurationNs(now_mono_ns)) * 1e-9},
                    {"ongoing", g.ongoing()}});
  }
  j["gaps"] = gaps;
  return j;
}

std::string RenderReceiveDashboard(const ReceiveContext& ctx,
                                   const stats::ReceiverSnapshot& snap,
                                   const stats::ReceiverSnapshot* previous,
                                   double dt, int64_t now_mono_ns) {
  std::string out;
  std::string join =
      ctx.source ? absl::StrCat("SSM (", *ctx.source, ",", ctx.group, ")")
                 : absl::StrCat("ASM (*,", ctx.group, ")");
  std::string igmp = absl::StrCat("IGMPv", ctx.igmp_version);
  if (ctx.igmp_version != ctx.igmp_requested) {
    absl::StrAppend(&igmp, " (asked v", ctx.igmp_requested, ")");
  }
  absl::StrAppendFormat(&out, "mcast-receive  %s  %s  on %s  %s   elapsed %s\n",
                        HostPort(ctx.group, ctx.port), join, ctx.interface,
                        igmp, Hms(ctx.elapsed_seconds));
  std::string state = Upper(stats::FlowStateName(snap.state));
  if (snap.state == stats::FlowState::kStalled && !snap.gaps.empty()) {
    absl::StrAppendFormat(
        &state, " for %.1f s",
        static_cast<double>(snap.gaps.back().DurationNs(now_mono_ns)) * 1e-9);
  }
  absl::StrAppendFormat(
      &out, "Status   %-22s stalls %d   foreign %d   socket drops %d\n", state,
      snap.stalls, snap.foreign, ctx.socket_drops);
  if (snap.senders.empty()) {
    absl::StrAppend(&out, "\nNo sender yet. Waiting for packets on ",
                    HostPort(ctx.group, ctx.port), "\n");
  }
  for (const stats::SenderSnapshot& s : snap.senders) {
    const stats::SequenceCounters& c = s.sequence;
    absl::StrAppendFormat(&out, "\nSender %s  id %s  restarts %d%s\n",
                          s.source.ToString(), HexId(s.sender_id), s.restarts,
                          s.finished ? "  (run finished)" : "");
    if (previous != nullptr && dt > 0) {
      for (const stats::SenderSnapshot& p : previous->senders) {
        if (p.source != s.source) continue;
        double pps = static_cast<double>(c.received - p.sequence.received) / dt;
        double bps = static_cast<double>(s.bytes - p.bytes) * 8 / dt;
        absl::StrAppendFormat(&out, "  Rate     %.1f pps   %.1f kbit/s\n", pps,
                              bps / 1e3);
      }
    }
    absl::StrAppendFormat(&out, "  TTL      %s   (hop changes %d)\n",
                          DescribeTtl(s), s.hop_changes);
    absl::StrAppendFormat(&out, "  DSCP     %s   (remarked packets %d)\n",
                          DescribeDscp(s), s.dscp_remarked);
    absl::StrAppendFormat(
        &out,
        "  Packets  %d received  %d lost (%.3f%%)  %d pending  %d dup  "
        "%d reordered (max extent %d)  %d late\n",
        c.received, c.lost, Percent(c.lost, c.unique + c.lost + c.pending),
        c.pending, c.duplicates, c.reordered, c.max_reorder_extent, c.late);
    absl::StrAppendFormat(&out, "  Jitter   %.3f ms", s.jitter_seconds * 1e3);
    if (s.delay.count > 0) {
      absl::StrAppendFormat(
          &out, "   one-way delay min/avg/max %.3f/%.3f/%.3f ms",
          s.delay.min_seconds * 1e3,
          s.delay.sum_seconds / static_cast<double>(s.delay.count) * 1e3,
          s.delay.max_seconds * 1e3);
    }
    absl::StrAppend(&out, "\n");
  }
  if (!snap.gaps.empty()) {
    absl::StrAppend(&out, "\nGap log (recent stalls)\n");
    size_t shown = 0;
    for (auto it = snap.gaps.rbegin(); it != snap.gaps.rend() && shown < 5;
         ++it, ++shown) {
      absl::StrAppendFormat(
          &out, "  %s  %.1f s%s\n", Iso8601Utc(it->start_real_ns),
          static_cast<double>(it->DurationNs(now_mono_ns)) * 1e-9,
          it->ongoing() ? " (ongoing)" : "");
    }
  }
  return out;
}

}  // namespace mcast::cli
