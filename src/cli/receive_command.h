#ifndef MCAST_CLI_RECEIVE_COMMAND_H_
#define MCAST_CLI_RECEIVE_COMMAND_H_

// mcast-receive: joins a group (ASM, or SSM with a source), forces the IGMP
// version for the join and restores it on exit, and shows loss, duplicates,
// reorder, hop count, DSCP remarks, restarts and stalls per sender.

#include <cstdint>
#include <optional>
#include <string>

#include "net/ip_address.h"

namespace mcast::cli {

struct ReceiveOptions {
  net::IpAddress group;
  net::IpAddress source;  // Unspecified: ASM.
  int igmp_version = 3;
  std::string interface;
  double stall_timeout_seconds = 3;
  double duration_seconds = 0;  // 0 = until Ctrl-C
  double reorder_window_seconds = 3;
  uint64_t reorder_packets = 1024;
  bool quiet = false;
  bool json = false;
  uint16_t port = 19779;
  // Where the IGMP version found before forcing is recorded (see
  // net::IgmpVersionGuard); empty: only in memory.
  std::string state_dir;
};

struct ReceiveArgs {
  std::optional<ReceiveOptions> options;
  int exit_code = 0;
};
ReceiveArgs ParseReceiveArgs(int argc, char** argv);

int RunReceive(int argc, char** argv);

}  // namespace mcast::cli

#endif  // MCAST_CLI_RECEIVE_COMMAND_H_
