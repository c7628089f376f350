#ifndef MCAST_CLI_ARG_PARSE_H_
#define MCAST_CLI_ARG_PARSE_H_

// Runs a CLI11 parse and turns its exceptions into exit codes, so no
// exception leaves this adapter: --help/--version print and exit 0, a
// usage error prints one line and exits 64.

#include <optional>

#include "CLI/CLI.hpp"

namespace mcast::cli {

// Returns nullopt when parsing succeeded and the program should run,
// otherwise the exit code to return.
std::optional<int> ParseArgs(CLI::App& app, int argc, char** argv,
                             const char* program);

}  // namespace mcast::cli

#endif  // MCAST_CLI_ARG_PARSE_H_
