#ifndef MCAST_CLI_RECEIVE_COMMAND_H_
#define MCAST_CLI_RECEIVE_COMMAND_H_

// mcast-receive: joins a group (ASM, or SSM with a source), forces the IGMP
// version for the join and restores it on exit, and shows loss, duplicates,
// reorder, hop count, DSCP remarks, restarts and stalls per sender.

#include <cstdint>
#include <optional>
#include <string>

#include "probe/receiver_spec.h"

namespace mcast::cli {

// The receiver to run plus what only the command line has.
struct ReceiveOptions : probe::ReceiverSpec {
  bool quiet = false;
  bool json = false;
  // Where the IGMP version found before forcing is recorded (see
  // net::IgmpVersionGuard); empty: only in memory.
  std::string state_dir;
  // --zap N: leave and re-join N times, one join every zap_interval, and
  // report the join-to-first-packet times (0: a normal run).
  int zap = 0;
  double zap_interval_seconds = 2;
};

struct ReceiveArgs {
  std::optional<ReceiveOptions> options;
  int exit_code = 0;
};
ReceiveArgs ParseReceiveArgs(int argc, char** argv);

int RunReceive(int argc, char** argv);

}  // namespace mcast::cli

#endif  // MCAST_CLI_RECEIVE_COMMAND_H_
