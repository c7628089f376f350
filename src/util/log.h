#ifndef MCAST_UTIL_LOG_H_
#define MCAST_UTIL_LOG_H_

// Service logging to stderr, one line per message, prefixed with the syslog
// priority ("<3>" error ... "<7>" debug) so journald keeps the levels; or,
// as the Prometheus exporters' --log.format, logfmt
//   ts=2026-01-02T03:04:05.678Z level=info msg="..."
// or one JSON object per line, {"ts":"...","level":"info","msg":"..."}.

#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace mcast::util {

enum class LogLevel {
  kError = 3,
  kWarning = 4,
  kNotice = 5,
  kInfo = 6,
  kDebug = 7
};

// "error", "warning", "notice", "info", "debug".
// "warn" too, as the exporter family spells it.
bool ParseLogLevel(absl::string_view text, LogLevel* level);

enum class LogFormat { kSyslog, kLogfmt, kJson };
// "logfmt" or "json".
bool ParseLogFormat(absl::string_view text, LogFormat* format);
void SetLogFormat(LogFormat format);
// One line as LogLine writes it, for `unix_ms` (milliseconds since 1970).
std::string FormatLogLine(LogFormat format, LogLevel level,
                          absl::string_view message, int64_t unix_ms);
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);
void LogLine(LogLevel level, const std::string& message);

template <typename... Args>
void Log(LogLevel level, const absl::FormatSpec<Args...>& format,
         const Args&... args) {
  if (LogEnabled(level)) LogLine(level, absl::StrFormat(format, args...));
}

}  // namespace mcast::util

#endif  // MCAST_UTIL_LOG_H_
