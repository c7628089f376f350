#include "cli/time_format.h"

#include <ctime>

#include "absl/strings/str_format.h"

namespace mcast::cli {

std::string Iso8601Utc(int64_t real_ns) {
  time_t secs = static_cast<time_t>(real_ns / 1'000'000'000);
  int64_t ms = (real_ns % 1'000'000'000) / 1'000'000;
  if (ms < 0) {
    ms += 1000;
    --secs;
  }
  struct tm tm {};
  gmtime_r(&secs, &tm);
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                         tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

std::string Hms(double seconds) {
  int64_t s = seconds < 0 ? 0 : static_cast<int64_t>(seconds);
  return absl::StrFormat("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
}

}  // namespace mcast::cli
