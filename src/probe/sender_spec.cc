#include "probe/sender_spec.h"

namespace mcast::probe {

const char* SenderClockName(SenderClock clock) {
  switch (clock) {
    case SenderClock::kMonotonic:
      return "monotonic";
    case SenderClock::kRealtime:
      return "realtime";
  }
  return "monotonic";
}

}  // namespace mcast::probe
