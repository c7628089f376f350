#ifndef MCAST_TESTS_UNIT_PROC_FIXTURE_H_
#define MCAST_TESTS_UNIT_PROC_FIXTURE_H_

// Reads a captured /proc fixture from tests/data/proc.

#include <fstream>
#include <sstream>
#include <string>

namespace mcast::testing {

inline std::string ProcFixture(const std::string& name) {
  std::ifstream in(std::string(MCAST_TEST_DATA_DIR) + "/proc/" + name,
                   std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace mcast::testing

#endif  // MCAST_TESTS_UNIT_PROC_FIXTURE_H_
