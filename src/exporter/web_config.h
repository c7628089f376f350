#ifndef MCAST_EXPORTER_WEB_CONFIG_H_
#define MCAST_EXPORTER_WEB_CONFIG_H_

// What --web.config.file says, in the Prometheus exporter-toolkit format
// (the file operators already give node_exporter or Prometheus itself):
//
//   tls_server_config:
//     cert_file: server.crt        # relative paths: to the file's folder
//     key_file: server.key
//     client_auth_type: RequireAndVerifyClientCert
//     client_ca_file: ca.crt
//     min_version: TLS12           # TLS10 TLS11 TLS12 TLS13
//     max_version: TLS13
//   http_server_config:
//     headers:
//       Strict-Transport-Security: max-age=31536000
//   basic_auth_users:
//     prometheus: $2y$10$...       # bcrypt, e.g. from htpasswd -nBC 10 ""
//
// Parsed by web_config_parser.h; every value here is already checked.

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mcast::exporter {

// exporter-toolkit's client_auth_type values, which are Go's tls names.
enum class ClientAuth {
  kNoClientCert,
  kRequestClientCert,
  kRequireAnyClientCert,
  kVerifyClientCertIfGiven,
  kRequireAndVerifyClientCert,
};

struct TlsServerSettings {
  bool enabled = false;   // A tls_server_config with a cert_file.
  std::string cert_file;  // Absolute (resolved against the file's folder).
  std::string key_file;
  std::string client_ca_file;  // Empty: none.
  ClientAuth client_auth = ClientAuth::kNoClientCert;
  // TLS protocol versions as 0x0301 (TLS 1.0) .. 0x0304 (TLS 1.3); the
  // toolkit's default minimum is TLS 1.2, and 0 for the maximum is none.
  int min_version = 0x0303;
  int max_version = 0;

  friend bool operator==(const TlsServerSettings&,
                         const TlsServerSettings&) = default;
};

struct WebConfig {
  TlsServerSettings tls;
  // user -> bcrypt hash ($2y$, $2b$, $2a$). Empty: no authentication.
  std::map<std::string, std::string> basic_auth_users;
  // Added to every response, in file order.
  std::vector<std::pair<std::string, std::string>> headers;

  friend bool operator==(const WebConfig&, const WebConfig&) = default;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_WEB_CONFIG_H_
