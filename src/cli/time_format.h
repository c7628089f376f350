#ifndef MCAST_CLI_TIME_FORMAT_H_
#define MCAST_CLI_TIME_FORMAT_H_

#include <cstdint>
#include <string>

namespace mcast::cli {

// "2026-01-01T00:00:00.000Z" for a CLOCK_REALTIME time in ns.
std::string Iso8601Utc(int64_t real_ns);
// "01:02:03" for a duration in seconds (hours may exceed 24).
std::string Hms(double seconds);

}  // namespace mcast::cli

#endif  // MCAST_CLI_TIME_FORMAT_H_
