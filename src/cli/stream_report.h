#ifndef MCAST_CLI_STREAM_REPORT_H_
#define MCAST_CLI_STREAM_REPORT_H_

// mcast-receive's view of the non-probe sources on the group (the stream
// table, streams/stream_table.h): the JSON "streams" array and one
// dashboard line per source, e.g. "10.1.1.9:5004 RTP/MPEG-TS, 3.9 Mbit/s".

#include <string>

#include "nlohmann/json.hpp"
#include "streams/stream_snapshot.h"

namespace mcast::cli {

nlohmann::ordered_json StreamsJson(const streams::StreamTableSnapshot& s);
// Empty when no non-probe source was seen.
std::string StreamsText(const streams::StreamTableSnapshot& s);

}  // namespace mcast::cli

#endif  // MCAST_CLI_STREAM_REPORT_H_
