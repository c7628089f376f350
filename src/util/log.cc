#include "util/log.h"

#include <atomic>
#include <cstdio>

namespace mcast::util {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};

}  // namespace

bool ParseLogLevel(absl::string_view text, LogLevel* level) {
  struct Name {
    const char* text;
    LogLevel level;
  };
  static constexpr Name kNames[] = {{"error", LogLevel::kError},
                                    {"warning", LogLevel::kWarning},
                                    {"notice", LogLevel::kNotice},
                                    {"info", LogLevel::kInfo},
                                    {"debug", LogLevel::kDebug}};
  for (const Name& n : kNames) {
    if (text == n.text) {
      *level = n.level;
      return true;
    }
  }
  return false;
}

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }

bool LogEnabled(LogLevel level) { return static_cast<int>(level) <= g_level; }

void LogLine(LogLevel level, const std::string& message) {
  // One write per line so lines from several threads do not interleave.
  std::string line =
      absl::StrFormat("<%d>%s\n", static_cast<int>(level), message);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace mcast::util
