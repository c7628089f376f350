// mcast-status: see cli/status_command.h.

#include <iostream>

#include "cli/status_command.h"

int main(int argc, char** argv) {
  return mcast::cli::RunStatus(argc, argv, std::cout, std::cerr);
}
