#include "cli/exporter_command.h"

// civetweb_openssl_shim.cc (linked into this executable only) makes
// civetweb's run-time loading of OpenSSL work on Debian 12.
int main(int argc, char** argv) { return mcast::cli::RunExporter(argc, argv); }
