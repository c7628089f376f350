#ifndef MCAST_CLI_EXPORTER_COMMAND_H_
#define MCAST_CLI_EXPORTER_COMMAND_H_

// mcast-exporter: persistent probes from a TOML file, exported as
// Prometheus metrics. See src/exporter/exporter.h for the runtime.

namespace mcast::cli {

int RunExporter(int argc, char** argv);

}  // namespace mcast::cli

#endif  // MCAST_CLI_EXPORTER_COMMAND_H_
