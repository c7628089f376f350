#include "util/log.h"

#include <time.h>

#include <atomic>
#include <cstdint>
#include <cstdio>

namespace mcast::util {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::atomic<int> g_format{static_cast<int>(LogFormat::kSyslog)};

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return "error";
    case LogLevel::kWarning:
      return "warn";
    case LogLevel::kNotice:
      return "notice";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kDebug:
      return "debug";
  }
  return "info";
}

// Escapes for a double-quoted logfmt value or JSON string: both take \"
// \\ \n \t; other control bytes become \u00XX (JSON) or are dropped.
void AppendQuoted(std::string* out, absl::string_view s, bool json) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          if (json) *out += absl::StrFormat("\\u%04x", c);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

}  // namespace

bool ParseLogLevel(absl::string_view text, LogLevel* level) {
  struct Name {
    const char* text;
    LogLevel level;
  };
  static constexpr Name kNames[] = {
      {"error", LogLevel::kError},  {"warning", LogLevel::kWarning},
      {"warn", LogLevel::kWarning}, {"notice", LogLevel::kNotice},
      {"info", LogLevel::kInfo},    {"debug", LogLevel::kDebug}};
  for (const Name& n : kNames) {
    if (text == n.text) {
      *level = n.level;
      return true;
    }
  }
  return false;
}

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }

bool ParseLogFormat(absl::string_view text, LogFormat* format) {
  if (text == "logfmt") {
    *format = LogFormat::kLogfmt;
  } else if (text == "json") {
    *format = LogFormat::kJson;
  } else {
    return false;
  }
  return true;
}

void SetLogFormat(LogFormat format) { g_format = static_cast<int>(format); }

std::string FormatLogLine(LogFormat format, LogLevel level,
                          absl::string_view message, int64_t unix_ms) {
  if (format == LogFormat::kSyslog) {
    return absl::StrFormat("<%d>%s\n", static_cast<int>(level), message);
  }
  const time_t secs = static_cast<time_t>(unix_ms / 1000);
  struct tm tm;
  gmtime_r(&secs, &tm);
  const std::string ts =
      absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                      tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                      tm.tm_sec, static_cast<int>(unix_ms % 1000));
  std::string line;
  if (format == LogFormat::kJson) {
    line = absl::StrFormat(R"({"ts":"%s","level":"%s","msg":)", ts,
                           LevelName(level));
    AppendQuoted(&line, message, /*json=*/true);
    line += "}\n";
  } else {
    line = absl::StrFormat("ts=%s level=%s msg=", ts, LevelName(level));
    AppendQuoted(&line, message, /*json=*/false);
    line += "\n";
  }
  return line;
}

bool LogEnabled(LogLevel level) { return static_cast<int>(level) <= g_level; }

void LogLine(LogLevel level, const std::string& message) {
  // One write per line so lines from several threads do not interleave.
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  const std::string line = FormatLogLine(
      static_cast<LogFormat>(g_format.load()), level, message,
      static_cast<int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1000000);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace mcast::util
