#include "cli/querier_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mcast::cli {
namespace {

using nlohmann::ordered_json;

double Seconds(int64_t ns) { return static_cast<double>(ns) / 1e9; }

const char* ProtocolKey(net::QueryProtocol p) {
  return p == net::QueryProtocol::kIgmp ? "igmp" : "mld";
}

const char* ProtocolName(net::QueryProtocol p) {
  return p == net::QueryProtocol::kIgmp ? "IGMP" : "MLD";
}

std::string S(int64_t ns) { return absl::StrFormat("%.3g s", Seconds(ns)); }

}  // namespace

ordered_json QuerierUnavailableJson(net::QueryProtocol protocol,
                                    std::string_view error) {
  ordered_json j;
  j["protocol"] = ProtocolKey(protocol);
  j["listening"] = false;
  j["error"] = std::string(error);
  return j;
}

ordered_json QuerierJson(net::QueryProtocol protocol,
                         const net::QuerierView& view) {
  ordered_json j;
  j["protocol"] = ProtocolKey(protocol);
  j["listening"] = true;
  j["presence"] = net::QuerierPresenceName(view.presence);
  const bool seen = view.last.has_value();
  const bool general = seen && view.last->general_queries > 0;
  j["address"] = seen ? ordered_json(view.last->address.ToString())
                      : ordered_json(nullptr);
  j["version"] =
      seen ? ordered_json(view.last->version) : ordered_json(nullptr);
  j["query_interval_seconds"] =
      general ? ordered_json(Seconds(view.last->query_interval_ns))
              : ordered_json(nullptr);
  j["query_interval_carried"] =
      general ? ordered_json(view.last->query_interval_carried)
              : ordered_json(nullptr);
  j["max_response_seconds"] =
      general ? ordered_json(Seconds(view.last->max_response_ns))
              : ordered_json(nullptr);
  j["robustness"] =
      general ? ordered_json(view.last->robustness) : ordered_json(nullptr);
  j["seconds_since_last_query"] =
      general ? ordered_json(Seconds(view.since_ns)) : ordered_json(nullptr);
  j["queries"] = seen ? view.last->queries : 0;
  j["general_queries"] = seen ? view.last->general_queries : 0;
  j["timeout_seconds"] = Seconds(view.timeout_ns);
  return j;
}

std::string QuerierText(net::QueryProtocol protocol,
                        const net::QuerierView& view) {
  const char* name = ProtocolName(protocol);
  const bool general = view.last.has_value() && view.last->general_queries > 0;
  std::string who;
  if (view.last.has_value()) {
    who = absl::StrCat(name, "v", view.last->version, " querier ",
                       view.last->address.ToString());
  }
  switch (view.presence) {
    case net::QuerierPresence::kPresent: {
      const net::QuerierState& q = *view.last;
      return absl::StrCat(who, ": query interval ", S(q.query_interval_ns),
                          q.query_interval_carried ? " (QQIC)" : " (default)",
                          ", max response ", S(q.max_response_ns),
                          ", robustness ", q.robustness, ", last query ",
                          S(view.since_ns), " ago, ", q.queries,
                          q.queries == 1 ? " query" : " queries");
    }
    case net::QuerierPresence::kNone: {
      std::string out =
          absl::StrCat("NO ", name, " QUERIER: no general query ",
                       general ? "for " : "in ", S(view.since_ns));
      if (general) {
        const net::QuerierState& q = *view.last;
        absl::StrAppend(&out, " (limit ", q.robustness, " x ",
                        S(q.query_interval_ns), " + ", S(q.max_response_ns),
                        " = ", S(view.timeout_ns), "; last was ", who, ")");
      } else {
        absl::StrAppend(&out, " (limit ", S(view.timeout_ns), ")");
      }
      return out;
    }
    case net::QuerierPresence::kUnknown:
      break;
  }
  if (view.last.has_value()) {
    return absl::StrCat(who, ": only group-specific queries seen so far");
  }
  return absl::StrCat(name, " querier unknown: no query in ", S(view.since_ns),
                      " (none after ", S(view.timeout_ns), ")");
}

}  // namespace mcast::cli
