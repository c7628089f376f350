#ifndef MCAST_EXPORTER_BASIC_AUTH_H_
#define MCAST_EXPORTER_BASIC_AUTH_H_

// HTTP basic authentication against the bcrypt hashes of a web config's
// basic_auth_users, verified by libxcrypt's crypt_rn (which knows $2a$,
// $2b$ and $2y$, so `htpasswd -B` hashes work). A bcrypt check costs tens
// of milliseconds of CPU by design; a successful one is remembered (a
// SHA-256 of user, password and hash, never the password) so that a
// Prometheus scraping every few seconds pays it once. The memory is
// bounded (kRemembered); a changed hash no longer matches its digests.

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace mcast::exporter {

class BasicAuth {
 public:
  static constexpr size_t kRemembered = 64;

  // `authorization` is the request's Authorization header (null: none).
  // True when it names a user of `users` with the right password.
  bool Check(const std::map<std::string, std::string>& users,
             const char* authorization);

 private:
  absl::Mutex mu_;
  std::vector<std::string> remembered_ ABSL_GUARDED_BY(mu_);  // digests
};

// True when `password` matches the crypt(3) `hash`.
bool VerifyCryptHash(absl::string_view password, const std::string& hash);

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_BASIC_AUTH_H_
