#ifndef MCAST_CLI_SEND_COMMAND_H_
#define MCAST_CLI_SEND_COMMAND_H_

// mcast-send: a paced probe stream to one multicast group, with a live
// dashboard and a JSON summary. The contract (arguments, defaults) follows
// the reference mcast-tools README.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "net/ip_address.h"

namespace mcast::cli {

struct SendOptions {
  net::IpAddress group;
  double duration_seconds = 600;  // 0 = forever
  int ttl = 100;
  double packets_per_second = 25;
  std::string rate_text = "25pps";
  size_t size = 200;
  int dscp = 0;
  std::string interface;
  bool loopback = true;
  bool quiet = false;
  bool json = false;
  uint16_t port = 19779;
  net::IpAddress source;
  bool realtime_clock = false;
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
