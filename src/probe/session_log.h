#ifndef MCAST_PROBE_SESSION_LOG_H_
#define MCAST_PROBE_SESSION_LOG_H_

// Where a session's messages go. Each front end words its own: mcast-send
// and mcast-receive print warnings to stderr under their program name, the
// exporter logs everything with the probe's name. The session only says
// what happened.

#include <functional>
#include <string>

#include "util/log.h"

namespace mcast::probe {

using SessionLog =
    std::function<void(util::LogLevel level, const std::string& message)>;

// Sends `message` to `log`, or to util::Log when there is none.
void LogTo(const SessionLog& log, util::LogLevel level,
           const std::string& message);

}  // namespace mcast::probe

#endif  // MCAST_PROBE_SESSION_LOG_H_
