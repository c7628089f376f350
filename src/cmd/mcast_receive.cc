#include "cli/receive_command.h"

int main(int argc, char** argv) { return mcast::cli::RunReceive(argc, argv); }
