#ifndef MCAST_CLI_QUERIER_REPORT_H_
#define MCAST_CLI_QUERIER_REPORT_H_

// How the command-line tools show an interface's IGMP or MLD querier
// (net/querier_table.h): one line of text and a JSON object, shared by
// mcast-status and mcast-receive. Pure functions of a QuerierView.
//
// JSON (keys only ever added):
//   {"protocol": "igmp"|"mld", "listening": true, "presence":
//    "present"|"none"|"unknown", "address", "version",
//    "query_interval_seconds", "query_interval_carried" (false: the
//    default, the query carried no QQIC), "max_response_seconds",
//    "robustness", "seconds_since_last_query" (null before the first
//    general query), "queries", "general_queries", "timeout_seconds"}
// Without a listening socket: {"protocol", "listening": false, "error"}.

#include <string>
#include <string_view>

#include "net/membership_query.h"
#include "net/querier_table.h"
#include "nlohmann/json.hpp"

namespace mcast::cli {

nlohmann::ordered_json QuerierJson(net::QueryProtocol protocol,
                                   const net::QuerierView& view);
nlohmann::ordered_json QuerierUnavailableJson(net::QueryProtocol protocol,
                                              std::string_view error);

// "IGMPv3 querier 10.0.5.254: query interval 1 s (QQIC), max response
// 0.5 s, robustness 2, last query 0.3 s ago, 12 queries", or "NO IGMP
// QUERIER: no general query for 2.6 s (limit 2 x 1 s + 0.5 s = 2.5 s; last
// querier ...)", or "IGMP querier unknown: no query in 3.0 s (none after
// 260 s)".
std::string QuerierText(net::QueryProtocol protocol,
                        const net::QuerierView& view);

}  // namespace mcast::cli

#endif  // MCAST_CLI_QUERIER_REPORT_H_
