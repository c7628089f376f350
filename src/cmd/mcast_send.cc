#include "cli/send_command.h"

int main(int argc, char** argv) { return mcast::cli::RunSend(argc, argv); }
