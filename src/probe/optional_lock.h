#ifndef MCAST_PROBE_OPTIONAL_LOCK_H_
#define MCAST_PROBE_OPTIONAL_LOCK_H_

// Locks a front end's mutex, if it has one, around a session's event-loop
// callback. The exporter's scrapes read the probes from other threads
// under its mutex; the CLI tools are single-threaded and pass none.

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace mcast::probe {

class ABSL_SCOPED_LOCKABLE OptionalLock {
 public:
  explicit OptionalLock(absl::Mutex* mu) ABSL_NO_THREAD_SAFETY_ANALYSIS
      : mu_(mu) {
    if (mu_) mu_->Lock();
  }
  ~OptionalLock() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (mu_) mu_->Unlock();
  }
  OptionalLock(const OptionalLock&) = delete;
  OptionalLock& operator=(const OptionalLock&) = delete;

 private:
  absl::Mutex* mu_;
};

}  // namespace mcast::probe

#endif  // MCAST_PROBE_OPTIONAL_LOCK_H_
