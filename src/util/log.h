#ifndef MCAST_UTIL_LOG_H_
#define MCAST_UTIL_LOG_H_

// Service logging to stderr, one line per message, prefixed with the syslog
// priority ("<3>" error ... "<7>" debug) so journald keeps the levels.

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
bool ParseLogLevel(absl::string_view text, LogLevel* level);
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
