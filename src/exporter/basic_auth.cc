#include "exporter/basic_auth.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"

namespace mcast::exporter {
namespace {

// A valid bcrypt hash to verify against for an unknown user, so that a
// wrong user name costs the same time as a wrong password.
constexpr char kDummyHash[] =
    "$2y$10$/VTb1GtBoB2XlLRCLqXiKuNW2sZdrwQdmcqiMS4AG4t6EGYpzTDAW";

std::string Digest(absl::string_view user, absl::string_view password,
                   const std::string& hash) {
  const std::string input =
      std::string(user) + '\0' + std::string(password) + '\0' + hash;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(input.data(), input.size(), md, &n, EVP_sha256(), nullptr) !=
      1) {
    return "";
  }
  return std::string(reinterpret_cast<const char*>(md), n);
}

}  // namespace

bool VerifyCryptHash(absl::string_view password, const std::string& hash) {
  // crypt_data is ~32 kB: on the heap, not a civetweb thread's stack.
  auto data = std::make_unique<crypt_data>();
  const std::string phrase(password);
  const char* out = crypt_rn(phrase.c_str(), hash.c_str(), data.get(),
                             static_cast<int>(sizeof(crypt_data)));
  if (out == nullptr || out[0] == '*') return false;
  const size_t n = std::strlen(out);
  return n == hash.size() && CRYPTO_memcmp(out, hash.data(), n) == 0;
}

bool BasicAuth::Check(const std::map<std::string, std::string>& users,
                      const char* authorization) {
  if (authorization == nullptr) return false;
  absl::string_view h = absl::StripAsciiWhitespace(authorization);
  if (h.size() < 6 || !absl::StartsWithIgnoreCase(h, "Basic ")) return false;
  h.remove_prefix(6);
  h = absl::StripLeadingAsciiWhitespace(h);
  if (h.size() > 1024) return false;
  std::string decoded;
  if (!absl::Base64Unescape(h, &decoded)) return false;
  const size_t colon = decoded.find(':');
  if (colon == std::string::npos) return false;
  const absl::string_view user = absl::string_view(decoded).substr(0, colon);
  const absl::string_view password =
      absl::string_view(decoded).substr(colon + 1);
  auto it = users.find(std::string(user));
  if (it == users.end()) {
    VerifyCryptHash(password, kDummyHash);
    return false;
  }
  const std::string digest = Digest(user, password, it->second);
  {
    absl::MutexLock lock(&mu_);
    if (!digest.empty() && std::find(remembered_.begin(), remembered_.end(),
                                     digest) != remembered_.end()) {
      return true;
    }
  }
  if (!VerifyCryptHash(password, it->second)) return false;
  absl::MutexLock lock(&mu_);
  if (!digest.empty()) {
    if (remembered_.size() >= kRemembered)
      remembered_.erase(remembered_.begin());
    remembered_.push_back(digest);
  }
  return true;
}

}  // namespace mcast::exporter
