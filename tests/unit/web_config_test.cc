// --web.config.file (exporter-toolkit format): what parses, what is refused
// with file:line:col and the key, and the bcrypt checks behind
// basic_auth_users (hashes made independently: htpasswd -B, Python's crypt).
#include "exporter/web_config.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "exporter/basic_auth.h"
#include "exporter/web_config_parser.h"
#include "util/log.h"

namespace mcast::exporter {
namespace {

// htpasswd -nbB prometheus s3cret (apache2-utils 2.4).
constexpr char kHtpasswdHash[] =
    "$2y$05$Zy2xGMpmG6nNNjFMb347JeZAsA.incs2oRGOW7abBfPh7HnqeasXS";
// Python: crypt.crypt("s3cret", crypt.mksalt(crypt.METHOD_BLOWFISH, 16)).
constexpr char kPython2bHash[] =
    "$2b$04$Xi5GL4MPAbqikzHuSUq9tO7skctvDxlKeJoOXgNPfseBgtilTDCpm";

std::string Error(const std::string& text) {
  absl::StatusOr<WebConfig> c = ParseWebConfig(text, "web.yml", "/etc/x");
  return c.ok() ? "OK" : std::string(c.status().message());
}

TEST(WebConfigTest, FullToolkitFileParses) {
  absl::StatusOr<WebConfig> c = ParseWebConfig(
      "tls_server_config:\n"
      "  cert_file: server.crt\n"
      "  key_file: /abs/server.key\n"
      "  client_auth_type: VerifyClientCertIfGiven\n"
      "  client_ca_file: ca.crt\n"
      "  min_version: TLS13\n"
      "http_server_config:\n"
      "  http2: true\n"
      "  headers:\n"
      "    X-Frame-Options: deny\n"
      "    Strict-Transport-Security: max-age=31536000\n"
      "basic_auth_users:\n"
      "  prometheus: " +
          std::string(kHtpasswdHash) + "\n",
      "web.yml", "/etc/x");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->tls.enabled);
  EXPECT_EQ(c->tls.cert_file, "/etc/x/server.crt");
  EXPECT_EQ(c->tls.key_file, "/abs/server.key");
  EXPECT_EQ(c->tls.client_ca_file, "/etc/x/ca.crt");
  EXPECT_EQ(c->tls.client_auth, ClientAuth::kVerifyClientCertIfGiven);
  EXPECT_EQ(c->tls.min_version, 0x0304);
  ASSERT_EQ(c->headers.size(), 2u);
  EXPECT_EQ(c->headers[0].first, "X-Frame-Options");
  EXPECT_EQ(c->headers[1].second, "max-age=31536000");
  EXPECT_EQ(c->basic_auth_users.at("prometheus"), kHtpasswdHash);
}

TEST(WebConfigTest, EmptyFileAndEmptySectionsArePlainHttp) {
  for (const char* text : {"", "# nothing\n", "tls_server_config:\n",
                           "basic_auth_users: {}\nhttp_server_config:\n"}) {
    absl::StatusOr<WebConfig> c = ParseWebConfig(text, "w", "");
    ASSERT_TRUE(c.ok()) << text << ": " << c.status();
    EXPECT_FALSE(c->tls.enabled);
    EXPECT_TRUE(c->basic_auth_users.empty());
  }
}

TEST(WebConfigTest, ClientCaAloneMeansRequireAndVerify) {
  absl::StatusOr<WebConfig> c = ParseWebConfig(
      "tls_server_config:\n  cert_file: a\n  key_file: b\n"
      "  client_ca_file: c\n",
      "w", "");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->tls.client_auth, ClientAuth::kRequireAndVerifyClientCert);
}

TEST(WebConfigTest, ErrorsNameFileLineColumnAndKey) {
  EXPECT_EQ(Error("basic_auth_users: {}\ntls_config:\n  x: 1\n"),
            "web.yml:2:1: tls_config: unknown key");
  EXPECT_EQ(Error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
                  "  certfile: c\n"),
            "web.yml:4:3: tls_server_config.certfile: unknown key");
  EXPECT_EQ(Error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
                  "  cipher_suites: [TLS_AES_128_GCM_SHA256]\n"),
            "web.yml:4:3: tls_server_config.cipher_suites: not supported by "
            "mcast-exporter");
  EXPECT_TRUE(absl::StartsWith(
      Error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
            "  client_auth_type: Always\n"),
      "web.yml:4:21: tls_server_config.client_auth_type: unknown value "
      "\"Always\""));
  EXPECT_TRUE(absl::StartsWith(
      Error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
            "  min_version: TLS14\n"),
      "web.yml:4:16: tls_server_config.min_version: unknown value"));
  EXPECT_TRUE(
      absl::StartsWith(Error("basic_auth_users:\n  u: plain\n"),
                       "web.yml:2:6: basic_auth_users.u: not a bcrypt hash"));
  EXPECT_TRUE(absl::StartsWith(
      Error("http_server_config:\n  headers:\n    Server: x\n"),
      "web.yml:3:5: http_server_config.headers.Server: cannot be set"));
  EXPECT_EQ(Error("http_server_config:\n  headers:\n"
                  "    X-Frame-Options: \"a\\r\\nSet-Cookie: x\"\n"),
            "web.yml:3:22: http_server_config.headers.X-Frame-Options: "
            "control character in value");
  EXPECT_EQ(Error("http_server_config:\n  timeout: 1\n"),
            "web.yml:2:3: http_server_config.timeout: unknown key");
}

TEST(WebConfigTest, IncompleteTlsIsAnError) {
  EXPECT_TRUE(absl::StrContains(Error("tls_server_config:\n  cert_file: a\n"),
                                "cert_file needs key_file"));
  EXPECT_TRUE(absl::StrContains(
      Error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
            "  client_auth_type: RequireAndVerifyClientCert\n"),
      "needs client_ca_file"));
  EXPECT_TRUE(absl::StrContains(
      Error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
            "  min_version: TLS13\n  max_version: TLS12\n"),
      "below min_version"));
}

TEST(WebConfigTest, BadYamlAndWrongShapes) {
  EXPECT_TRUE(absl::StartsWith(Error("a: [\n"), "web.yml:"));
  EXPECT_EQ(Error("- a\n- b\n"), "web.yml:1:1: the file must be a YAML map");
  EXPECT_EQ(Error("basic_auth_users: [a]\n"),
            "web.yml:1:19: basic_auth_users: must be a map");
  EXPECT_TRUE(absl::StrContains(Error("basic_auth_users:\n  u: x\n  u: y\n"),
                                "u: repeated key"));
  // Deep nesting ends in an error, not a crash.
  EXPECT_NE(Error("a: " + std::string(100000, '[')), "OK");
  EXPECT_NE(Error(std::string(100000, '{')), "OK");
}

TEST(WebConfigTest, ErrorsAreBoundedAndPrintable) {
  std::string text = "basic_auth_users:\n";
  for (int i = 0; i < 500; ++i) text += "  u" + std::to_string(i) + ": x\n";
  text += "\x01\x1b[31m: 1\n";
  const std::string e = Error(text);
  EXPECT_LE(std::count(e.begin(), e.end(), '\n'), 20);
  for (unsigned char c : e) EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f));
}

TEST(WebConfigTest, LoadMissingFile) {
  absl::StatusOr<WebConfig> c = LoadWebConfig("/nonexistent/web.yml");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(absl::StrContains(c.status().message(), "/nonexistent/web.yml"));
}

TEST(BasicAuthTest, VerifiesHtpasswdAndPythonHashes) {
  EXPECT_TRUE(VerifyCryptHash("s3cret", kHtpasswdHash));
  EXPECT_FALSE(VerifyCryptHash("s3creT", kHtpasswdHash));
  EXPECT_TRUE(VerifyCryptHash("s3cret", kPython2bHash));
  EXPECT_FALSE(VerifyCryptHash("", kPython2bHash));
  EXPECT_FALSE(VerifyCryptHash("s3cret", "garbage"));
}

TEST(BasicAuthTest, ChecksAuthorizationHeaders) {
  const std::map<std::string, std::string> users = {
      {"prometheus", kHtpasswdHash}};
  BasicAuth auth;
  auto header = [](const std::string& userpass) {
    return "Basic " + absl::Base64Escape(userpass);
  };
  EXPECT_TRUE(auth.Check(users, header("prometheus:s3cret").c_str()));
  // Remembered now; a wrong password still fails.
  EXPECT_TRUE(auth.Check(users, header("prometheus:s3cret").c_str()));
  EXPECT_FALSE(auth.Check(users, header("prometheus:wrong").c_str()));
  EXPECT_FALSE(auth.Check(users, header("other:s3cret").c_str()));
  EXPECT_FALSE(auth.Check(users, header("prometheus").c_str()));
  EXPECT_FALSE(auth.Check(users, nullptr));
  EXPECT_FALSE(auth.Check(users, "Bearer x"));
  EXPECT_FALSE(auth.Check(users, "Basic !!!"));
  EXPECT_FALSE(auth.Check(users, std::string(5000, 'B').c_str()));
  // A changed hash: the remembered digest no longer matches.
  const std::map<std::string, std::string> changed = {
      {"prometheus", kPython2bHash}};
  EXPECT_TRUE(auth.Check(changed, header("prometheus:s3cret").c_str()));
}

TEST(LogFormatTest, LogfmtAndJsonLines) {
  using util::FormatLogLine;
  using util::LogFormat;
  using util::LogLevel;
  const int64_t ms = 1767323045678;  // 2026-01-02T03:04:05.678Z
  EXPECT_EQ(FormatLogLine(LogFormat::kSyslog, LogLevel::kInfo, "hi", ms),
            "<6>hi\n");
  EXPECT_EQ(
      FormatLogLine(LogFormat::kLogfmt, LogLevel::kWarning, "a \"b\"\n", ms),
      "ts=2026-01-02T03:04:05.678Z level=warn msg=\"a \\\"b\\\"\\n\"\n");
  EXPECT_EQ(FormatLogLine(LogFormat::kJson, LogLevel::kError, "x\x01\\", ms),
            "{\"ts\":\"2026-01-02T03:04:05.678Z\",\"level\":\"error\","
            "\"msg\":\"x\\u0001\\\\\"}\n");
  util::LogFormat f;
  EXPECT_TRUE(util::ParseLogFormat("json", &f));
  EXPECT_FALSE(util::ParseLogFormat("xml", &f));
  util::LogLevel l;
  EXPECT_TRUE(util::ParseLogLevel("warn", &l));
  EXPECT_EQ(l, LogLevel::kWarning);
}

}  // namespace
}  // namespace mcast::exporter
