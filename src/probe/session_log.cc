#include "probe/session_log.h"

namespace mcast::probe {

void LogTo(const SessionLog& log, util::LogLevel level,
           const std::string& message) {
  if (log) {
    log(level, message);
  } else {
    util::Log(level, "%s", message);
  }
}

}  // namespace mcast::probe
