#ifndef MCAST_CLI_SEND_COMMAND_H_
#define MCAST_CLI_SEND_COMMAND_H_

// mcast-send: a paced probe stream to one multicast group, with a live
// dashboard and a JSON summary. The contract (arguments, defaults) follows
// the reference mcast-tools README.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "probe/sender_spec.h"

namespace mcast::cli {

// The sender to run plus what only the command line has. The TTL default
// is the reference contract's 100, not the exporter's 1.
struct SendOptions : probe::SenderSpec {
  SendOptions() {
    ttl = 100;
    duration_seconds = 600;
  }
  bool quiet = false;
  bool json = false;
};

// Parses and validates the command line. Returns the options to run with,
// or the exit code when the program should stop (help, usage error).
struct SendArgs {
  std::optional<SendOptions> options;
  int exit_code = 0;
};
SendArgs ParseSendArgs(int argc, char** argv);

int RunSend(int argc, char** argv);

}  // namespace mcast::cli

#endif  // MCAST_CLI_SEND_COMMAND_H_
