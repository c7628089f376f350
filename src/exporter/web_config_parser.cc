#include "exporter/web_config_parser.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <exception>
#include <set>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "util/message_text.h"
#include "util/regular_file.h"
#include "util/run_isolated.h"

namespace mcast::exporter {
namespace {

constexpr size_t kMaxLineBytes = 300;

// The toolkit allows exactly these response headers.
constexpr absl::string_view kAllowedHeaders[] = {
    "Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options",
    "X-XSS-Protection", "Content-Security-Policy"};

// Toolkit keys with no equivalent here: refused by name, not as unknown.
constexpr absl::string_view kUnsupportedTls[] = {"cert",
                                                 "key",
                                                 "client_ca",
                                                 "cipher_suites",
                                                 "curve_preferences",
                                                 "prefer_server_cipher_suites",
                                                 "client_allowed_sans"};

class Parser {
 public:
  Parser(const std::string& file_name, const std::string& base_dir)
      : file_name_(file_name), base_dir_(base_dir) {}

  void Problem(const YAML::Mark& mark, absl::string_view key,
               absl::string_view what) {
    if (problems_.size() >= 20) return;
    std::string where = mark.is_null()
                            ? absl::StrCat(file_name_, ": ")
                            : absl::StrCat(file_name_, ":", mark.line + 1, ":",
                                           mark.column + 1, ": ");
    problems_.push_back(util::SanitizeLine(
        absl::StrCat(where, key.empty() ? "" : absl::StrCat(key, ": "), what),
        kMaxLineBytes));
  }

  // A scalar string value, or a problem.
  bool Scalar(const YAML::Node& value, absl::string_view key,
              std::string* out) {
    if (!value.IsScalar()) {
      Problem(value.Mark(), key, "must be a string");
      return false;
    }
    *out = value.Scalar();
    return true;
  }

  std::string Path(const std::string& p) const {
    if (p.empty() || p[0] == '/' || base_dir_.empty()) return p;
    return absl::StrCat(base_dir_, "/", p);
  }

  // Calls `each(key, value)` for a map's entries; non-string or repeated
  // keys are problems. A null node (an empty section) has no entries.
  template <typename F>
  void Entries(const YAML::Node& map, absl::string_view what, F each) {
    if (map.IsNull()) return;
    if (!map.IsMap()) {
      Problem(map.Mark(), what, "must be a map");
      return;
    }
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar()) {
        Problem(it->first.Mark(), what, "keys must be strings");
        continue;
      }
      const std::string& k = it->first.Scalar();
      if (!seen.insert(k).second) {
        Problem(it->first.Mark(), k, "repeated key");
        continue;
      }
      each(k, it->first.Mark(), it->second);
    }
  }

  void Tls(const YAML::Node& node, TlsServerSettings* tls) {
    YAML::Mark section = node.Mark();
    Entries(
        node, "tls_server_config",
        [&](const std::string& k, const YAML::Mark& mark, const YAML::Node& v) {
          const std::string key = absl::StrCat("tls_server_config.", k);
          std::string s;
          if (k == "cert_file" || k == "key_file" || k == "client_ca_file") {
            if (!Scalar(v, key, &s)) return;
            std::string& out = k == "cert_file"  ? tls->cert_file
                               : k == "key_file" ? tls->key_file
                                                 : tls->client_ca_file;
            out = Path(s);
          } else if (k == "client_auth_type") {
            if (!Scalar(v, key, &s)) return;
            static const std::pair<absl::string_view, ClientAuth> kTypes[] = {
                {"NoClientCert", ClientAuth::kNoClientCert},
                {"RequestClientCert", ClientAuth::kRequestClientCert},
                {"RequireAnyClientCert", ClientAuth::kRequireAnyClientCert},
                {"VerifyClientCertIfGiven",
                 ClientAuth::kVerifyClientCertIfGiven},
                {"RequireAndVerifyClientCert",
                 ClientAuth::kRequireAndVerifyClientCert}};
            for (const auto& [name, type] : kTypes) {
              if (s == name) {
                tls->client_auth = type;
                return;
              }
            }
            Problem(
                v.Mark(), key,
                absl::StrCat("unknown value \"", s,
                             "\" (NoClientCert, RequestClientCert, "
                             "RequireAnyClientCert, VerifyClientCertIfGiven, "
                             "RequireAndVerifyClientCert)"));
          } else if (k == "min_version" || k == "max_version") {
            if (!Scalar(v, key, &s)) return;
            static const std::pair<absl::string_view, int> kVersions[] = {
                {"TLS10", 0x0301},
                {"TLS11", 0x0302},
                {"TLS12", 0x0303},
                {"TLS13", 0x0304}};
            for (const auto& [name, version] : kVersions) {
              if (s == name) {
                (k == "min_version" ? tls->min_version : tls->max_version) =
                    version;
                return;
              }
            }
            Problem(v.Mark(), key,
                    absl::StrCat("unknown value \"", s,
                                 "\" (TLS10, TLS11, TLS12, TLS13)"));
          } else {
            for (absl::string_view u : kUnsupportedTls) {
              if (k == u) {
                Problem(mark, key, "not supported by mcast-exporter");
                return;
              }
            }
            Problem(mark, key, "unknown key");
          }
        });
    if (tls->cert_file.empty() && tls->key_file.empty()) {
      if (tls->client_auth != ClientAuth::kNoClientCert ||
          !tls->client_ca_file.empty()) {
        Problem(section, "tls_server_config",
                "client_auth_type and client_ca_file need cert_file and "
                "key_file");
      }
      return;  // An empty section: plain HTTP, as the toolkit does.
    }
    if (tls->cert_file.empty() || tls->key_file.empty()) {
      Problem(section, "tls_server_config",
              tls->cert_file.empty() ? "key_file needs cert_file"
                                     : "cert_file needs key_file");
    }
    const bool verifies =
        tls->client_auth == ClientAuth::kVerifyClientCertIfGiven ||
        tls->client_auth == ClientAuth::kRequireAndVerifyClientCert;
    if (verifies && tls->client_ca_file.empty()) {
      Problem(section, "tls_server_config.client_auth_type",
              "verifying client certificates needs client_ca_file");
    }
    if (!verifies && !tls->client_ca_file.empty()) {
      // The toolkit turns a client_ca_file without a verifying type into
      // RequireAndVerifyClientCert; said here, as it is easy to miss.
      tls->client_auth = ClientAuth::kRequireAndVerifyClientCert;
    }
    if (tls->max_version != 0 && tls->max_version < tls->min_version) {
      Problem(section, "tls_server_config.max_version", "is below min_version");
    }
    tls->enabled = true;
  }

  void Http(const YAML::Node& node, WebConfig* config) {
    Entries(
        node, "http_server_config",
        [&](const std::string& k, const YAML::Mark& mark, const YAML::Node& v) {
          if (k == "http2") {
            // civetweb speaks HTTP/1.1 only; Prometheus falls back to it.
            if (!v.IsScalar() ||
                (v.Scalar() != "true" && v.Scalar() != "false")) {
              Problem(v.Mark(), "http_server_config.http2",
                      "must be true or false");
            }
            return;
          }
          if (k != "headers") {
            Problem(mark, absl::StrCat("http_server_config.", k),
                    "unknown key");
            return;
          }
          Entries(
              v, "http_server_config.headers",
              [&](const std::string& name, const YAML::Mark& name_mark,
                  const YAML::Node& value) {
                const std::string key =
                    absl::StrCat("http_server_config.headers.", name);
                bool allowed = false;
                for (absl::string_view a : kAllowedHeaders)
                  allowed |= name == a;
                if (!allowed) {
                  Problem(
                      name_mark, key,
                      absl::StrCat("cannot be set (allowed: ",
                                   absl::StrJoin(kAllowedHeaders, ", "), ")"));
                  return;
                }
                std::string s;
                if (!Scalar(value, key, &s)) return;
                for (unsigned char c : s) {
                  if (c < 0x20 || c == 0x7f) {
                    Problem(value.Mark(), key, "control character in value");
                    return;
                  }
                }
                if (s.size() > 1024) {
                  Problem(value.Mark(), key, "longer than 1024 bytes");
                  return;
                }
                config->headers.emplace_back(name, s);
              });
        });
  }

  void Users(const YAML::Node& node, WebConfig* config) {
    Entries(node, "basic_auth_users",
            [&](const std::string& user, const YAML::Mark& mark,
                const YAML::Node& v) {
              const std::string key = absl::StrCat("basic_auth_users.", user);
              if (config->basic_auth_users.size() >= kMaxWebUsers) {
                Problem(mark, key,
                        absl::StrCat("more than ", kMaxWebUsers, " users"));
                return;
              }
              if (user.empty() || user.find(':') != std::string::npos) {
                Problem(mark, key, "a user name is not empty and has no ':'");
                return;
              }
              std::string hash;
              if (!Scalar(v, key, &hash)) return;
              // bcrypt: $2a$/$2b$/$2y$, two cost digits, 53 characters of salt
              // and hash; crypt() would also take weaker schemes, the toolkit
              // does not.
              const bool bcrypt =
                  hash.size() == 60 && hash[0] == '$' && hash[1] == '2' &&
                  (hash[2] == 'a' || hash[2] == 'b' || hash[2] == 'y') &&
                  hash[3] == '$' && hash[6] == '$';
              if (!bcrypt) {
                Problem(
                    v.Mark(), key,
                    "not a bcrypt hash ($2y$..., 60 characters; make one with "
                    "htpasswd -nBC 10 \"\")");
                return;
              }
              config->basic_auth_users.emplace(user, hash);
            });
  }

  absl::StatusOr<WebConfig> Parse(absl::string_view text) {
    WebConfig config;
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
      if (!root.IsNull() && !root.IsMap()) {
        Problem(root.Mark(), "", "the file must be a YAML map");
      } else {
        Entries(root, "",
                [&](const std::string& k, const YAML::Mark& mark,
                    const YAML::Node& v) {
                  if (k == "tls_server_config") {
                    Tls(v, &config.tls);
                  } else if (k == "http_server_config") {
                    Http(v, &config);
                  } else if (k == "basic_auth_users") {
                    Users(v, &config);
                  } else {
                    Problem(mark, k, "unknown key");
                  }
                });
      }
    } catch (const YAML::DeepRecursion& e) {
      // yaml-cpp's own bound (500 levels; its message is "bad file").
      Problem(e.mark, "",
              absl::StrCat("nested more than ", e.depth() - 1, " levels deep"));
    } catch (const YAML::Exception& e) {
      Problem(e.mark, "", e.msg.empty() ? "invalid YAML" : e.msg);
    } catch (const std::exception& e) {
      Problem(YAML::Mark::null_mark(), "", e.what());
    }
    if (!problems_.empty()) {
      return absl::InvalidArgumentError(absl::StrJoin(problems_, "\n"));
    }
    return config;
  }

 private:
  std::string file_name_;
  std::string base_dir_;
  std::vector<std::string> problems_;
};

}  // namespace

absl::StatusOr<WebConfig> ParseWebConfig(absl::string_view text,
                                         const std::string& file_name,
                                         const std::string& base_dir) {
  return Parser(file_name, base_dir).Parse(text);
}

absl::StatusOr<WebConfig> LoadWebConfig(const std::string& path,
                                        absl::Duration timeout) {
  // A FIFO, /dev/zero or a directory is refused before any read.
  absl::StatusOr<std::string> text =
      util::ReadRegularFile(path, kMaxWebConfigBytes);
  if (!text.ok()) return text.status();
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? std::string(".")
                          : slash == 0               ? std::string("/")
                                                     : path.substr(0, slash);
  // yaml-cpp first parses in a forked child (util/run_isolated.h): its
  // memory and time on a hostile file (up to ~250 MB and ~2 s for 1 MiB of
  // flow sequence or nesting) are the child's, and a crash or hang there
  // is an error here. The child's answer is the file's own errors; only a
  // file it accepted, which is then small, is parsed in this process.
  absl::Status checked = util::RunIsolated(
      [&] { return ParseWebConfig(*text, path, dir).status(); }, timeout);
  if (checked.ok()) return ParseWebConfig(*text, path, dir);
  switch (checked.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kUnavailable:
      return absl::InvalidArgumentError(util::SanitizeLine(
          absl::StrCat(path, ": refused: the web config parser ",
                       checked.message()),
          1024));
    default:
      return checked;
  }
}

}  // namespace mcast::exporter
