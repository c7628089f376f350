#include "cli/terminal.h"

#include <cstdio>

namespace mcast::cli {

void Terminal::Draw(const std::string& frame) {
  if (!enabled_) return;
  // Home, clear to end of screen, then the frame.
  std::fputs(drawn_ ? "\x1b[H\x1b[J" : "\x1b[2J\x1b[H", stdout);
  std::fputs(frame.c_str(), stdout);
  std::fflush(stdout);
  drawn_ = true;
}

void Terminal::Finish() {
  if (enabled_ && drawn_) std::fputs("\n", stdout);
}

}  // namespace mcast::cli
