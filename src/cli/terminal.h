#ifndef MCAST_CLI_TERMINAL_H_
#define MCAST_CLI_TERMINAL_H_

// A live dashboard on a terminal: each Draw replaces the previous frame in
// place (cursor home + clear), so the screen does not scroll.

#include <string>

namespace mcast::cli {

class Terminal {
 public:
  explicit Terminal(bool enabled) : enabled_(enabled) {}
  void Draw(const std::string& frame);
  // Leaves the last frame on screen.
  void Finish();

 private:
  bool enabled_;
  bool drawn_ = false;
};

}  // namespace mcast::cli

#endif  // MCAST_CLI_TERMINAL_H_
