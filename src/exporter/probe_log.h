#ifndef MCAST_EXPORTER_PROBE_LOG_H_
#define MCAST_EXPORTER_PROBE_LOG_H_

// A probe session's messages in the exporter's log, under the probe's
// kind and name ("sender tx1: ...", "receiver rx1: ...").

#include <string>

#include "probe/session_log.h"
#include "util/log.h"

namespace mcast::exporter {

inline probe::SessionLog ProbeLog(const char* kind, const std::string& name) {
  return [kind, name](util::LogLevel level, const std::string& message) {
    util::Log(level, "%s %s: %s", kind, name, message);
  };
}

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_PROBE_LOG_H_
