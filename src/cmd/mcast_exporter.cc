#include "cli/exporter_command.h"

int main(int argc, char** argv) { return mcast::cli::RunExporter(argc, argv); }
