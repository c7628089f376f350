// The --web.config.file parser (ParseWebConfig: yaml-cpp and the
// exporter-toolkit keys) fed arbitrary bytes; the seed corpus holds real
// toolkit files, so mutations stay close to YAML that reaches every key.
//
// Invariants beyond "no crash":
// - an error is at most 20 lines, each printable ASCII, each starting with
//   the file name;
// - an accepted config keeps the parser's promises: bcrypt-shaped hashes,
//   at most kMaxWebUsers users, only the toolkit's headers, no control
//   characters in header values, TLS either off or with cert and key.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "exporter/web_config.h"
#include "exporter/web_config_parser.h"

namespace {

using mcast::exporter::WebConfig;

void Require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<WebConfig> c =
      mcast::exporter::ParseWebConfig(text, "web.yml", "/base");
  if (!c.ok()) {
    int lines = 0;
    for (absl::string_view line : absl::StrSplit(c.status().message(), '\n')) {
      ++lines;
      Require(absl::StartsWith(line, "web.yml:"));
      for (unsigned char ch : line) Require(ch >= 0x20 && ch < 0x7f);
    }
    Require(lines <= 20);
    return 0;
  }
  Require(c->basic_auth_users.size() <= mcast::exporter::kMaxWebUsers);
  for (const auto& [user, hash] : c->basic_auth_users) {
    Require(!user.empty() && user.find(':') == std::string::npos);
    Require(hash.size() == 60 && absl::StartsWith(hash, "$2"));
  }
  for (const auto& [name, value] : c->headers) {
    Require(!name.empty() && value.size() <= 1024);
    for (unsigned char ch : value) Require(ch >= 0x20 && ch != 0x7f);
  }
  if (c->tls.enabled) {
    Require(!c->tls.cert_file.empty() && !c->tls.key_file.empty());
    Require(c->tls.max_version == 0 ||
            c->tls.max_version >= c->tls.min_version);
  } else {
    Require(c->tls.cert_file.empty() && c->tls.key_file.empty());
  }
  return 0;
}
