#include "exporter/exporter_settings_parser.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "exporter/probe_keys.h"
#include "exporter/toml_values.h"
#include "inet/ip_address.h"
#include "util/byte_size.h"
#include "util/message_text.h"

namespace mcast::exporter {
namespace {

constexpr char kListenAllowed[] =
    "HOST:PORT with an IP address, e.g. \"0.0.0.0:19779\", "
    "\"127.0.0.1:19779\" or \"[::]:19779\"; port 0 picks a free port";

// At most this many listen_addresses (each is a listening socket).
constexpr size_t kMaxListenAddresses = 16;

// One HOST:PORT; `any_host` also takes ":PORT" (every IPv4 address), as
// --web.listen-address does. False after reporting a problem.
bool ParseAddress(const toml::node& node, const std::string& path,
                  TomlProblems& problems, bool any_host, std::string* listen,
                  inet::IpAddress* listen_address, uint16_t* listen_port) {
  const toml::value<std::string>* v = node.as_string();
  if (v == nullptr) {
    Report(problems, node, path, WrongType(node, "a string", kListenAllowed));
    return false;
  }
  std::string owned = v->get();
  if (any_host && absl::StartsWith(owned, ":")) owned = "0.0.0.0" + owned;
  absl::string_view text = owned;
  auto bad = [&](absl::string_view why) {
    Report(problems, node, path,
           absl::StrCat(util::QuoteUntrusted(text), " ", why, " (",
                        kListenAllowed, ")"));
  };
  absl::string_view host;
  absl::string_view port_text;
  if (absl::StartsWith(text, "[")) {
    size_t close = text.find("]:");
    if (close == absl::string_view::npos) {
      bad("has no ]:PORT after the IPv6 address");
      return false;
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == absl::string_view::npos) {
      bad("has no :PORT");
      return false;
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (absl::StrContains(host, ':')) {
      bad("needs brackets around the IPv6 address");
      return false;
    }
  }
  auto address = inet::IpAddress::Parse(host);
  if (!address.ok()) {
    bad(absl::StrCat("has no IP address before the port (",
                     util::QuoteUntrusted(host),
                     " is not one; host names are not resolved)"));
    return false;
  }
  if (absl::StartsWith(text, "[") != address->is_v6()) {
    bad("needs brackets around IPv6 addresses only");
    return false;
  }
  int port = -1;
  if (port_text.empty() || !absl::ascii_isdigit(port_text[0]) ||
      !absl::SimpleAtoi(port_text, &port) || port > 65535) {
    bad("has no port from 0 to 65535");
    return false;
  }
  *listen_address = *address;
  *listen_port = static_cast<uint16_t>(port);
  *listen = address->is_v6()
                ? absl::StrCat("[", address->ToString(), "]:", port)
                : absl::StrCat(address->ToString(), ":", port);
  return true;
}

void ParseListen(const toml::node& node, const std::string& path,
                 TomlProblems& problems, ExporterSettings* settings) {
  ParseAddress(node, path, problems, /*any_host=*/false, &settings->listen,
               &settings->listen_address, &settings->listen_port);
}

void ParseListenAddresses(const toml::node& node, const std::string& path,
                          TomlProblems& problems, ExporterSettings* settings) {
  const toml::array* a = node.as_array();
  const std::string allowed =
      absl::StrCat("a list of 1 to ", kMaxListenAddresses, " addresses, ",
                   kListenAllowed, "; \":PORT\" is every IPv4 address");
  if (a == nullptr) {
    Report(problems, node, path, WrongType(node, "an array", allowed));
    return;
  }
  if (a->empty() || a->size() > kMaxListenAddresses) {
    Report(problems, node, path,
           absl::StrCat("has ", a->size(), " addresses (", allowed, ")"));
    return;
  }
  std::vector<std::string> all;
  ExporterSettings first;
  for (size_t i = 0; i < a->size(); ++i) {
    ExporterSettings one;
    if (!ParseAddress(*a->get(i), absl::StrCat(path, "[", i, "]"), problems,
                      /*any_host=*/true, &one.listen, &one.listen_address,
                      &one.listen_port)) {
      return;
    }
    if (i == 0) first = one;
    all.push_back(one.listen);
  }
  settings->listen = first.listen;
  settings->listen_address = first.listen_address;
  settings->listen_port = first.listen_port;
  settings->listen_addresses = std::move(all);
}

void ParseWebConfigFile(const toml::node& node, const std::string& path,
                        TomlProblems& problems, ExporterSettings* settings) {
  constexpr char kAllowed[] =
      "a path to a web config (exporter-toolkit YAML), relative to this "
      "file's folder or absolute";
  const toml::value<std::string>* v = node.as_string();
  if (v == nullptr) {
    Report(problems, node, path, WrongType(node, "a string", kAllowed));
    return;
  }
  absl::string_view text = Sv(v->get());
  bool ok = !text.empty() && text.size() <= 4096;
  for (char c : text) {
    if (absl::ascii_iscntrl(static_cast<unsigned char>(c))) ok = false;
  }
  if (!ok) {
    Report(problems, node, path,
           absl::StrCat(util::QuoteUntrusted(text), " is not a valid path (",
                        kAllowed, ")"));
    return;
  }
  settings->web_config_file = std::string(text);
}

void ParseMetricsPath(const toml::node& node, const std::string& path,
                      TomlProblems& problems, ExporterSettings* settings) {
  constexpr char kAllowed[] =
      "an HTTP path starting with '/', without spaces, '?' or '#', e.g. "
      "\"/metrics\"";
  const toml::value<std::string>* v = node.as_string();
  if (v == nullptr) {
    Report(problems, node, path, WrongType(node, "a string", kAllowed));
    return;
  }
  absl::string_view text = Sv(v->get());
  bool ok = absl::StartsWith(text, "/");
  for (char c : text) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c)) ||
        absl::ascii_iscntrl(static_cast<unsigned char>(c)) || c == '?' ||
        c == '#') {
      ok = false;
    }
  }
  if (!ok) {
    Report(problems, node, path,
           absl::StrCat(util::QuoteUntrusted(text), " is not a valid path (",
                        kAllowed, ")"));
    return;
  }
  settings->metrics_path = std::string(text);
}

bool ParseMemoryLimit(const toml::node& node, const std::string& path,
                      TomlProblems& problems, ExporterSettings* settings) {
  constexpr char kAllowed[] =
      "bytes, or a size such as \"256MiB\", \"1GiB\", \"500MB\"; at least "
      "1MiB";
  std::optional<std::string> text = NumberText(node);
  if (!text || node.is_floating_point()) {
    Report(problems, node, path,
           WrongType(node, "a string or an integer", kAllowed));
    return false;
  }
  absl::StatusOr<uint64_t> bytes = util::ParseByteSize(*text);
  if (!bytes.ok()) {
    Report(problems, node, path,
           util::RequoteEcho(bytes.status().message(), *text));
    return false;
  }
  if (*bytes < (uint64_t{1} << 20)) {
    Report(problems, node, path,
           absl::StrCat(util::QuoteUntrusted(*text), " is too small (",
                        kAllowed, ")"));
    return false;
  }
  settings->memory_limit_bytes = *bytes;
  return true;
}

}  // namespace

ExporterSettingsParse ParseExporterSettings(const toml::table& table,
                                            TomlProblems& problems,
                                            ExporterSettings* settings) {
  static const std::vector<absl::string_view> kAllowed = {
      "listen",         "listen_addresses", "metrics_path",
      "telemetry_path", "web_config_file",  "memory_limit"};
  ExporterSettingsParse result;
  // Two spellings of one setting: one of each pair (the second is the
  // exporter family's, as their flags are).
  const toml::node* listen = table.get("listen");
  const toml::node* listen_addresses = table.get("listen_addresses");
  const toml::node* metrics_path = table.get("metrics_path");
  const toml::node* telemetry_path = table.get("telemetry_path");
  if (listen != nullptr && listen_addresses != nullptr) {
    Report(problems, *listen_addresses, "exporter.listen_addresses",
           "set together with exporter.listen: write one of them");
  }
  if (metrics_path != nullptr && telemetry_path != nullptr) {
    Report(problems, *telemetry_path, "exporter.telemetry_path",
           "set together with exporter.metrics_path: write one of them");
  }
  for (auto&& [key, node] : table) {
    absl::string_view k = Sv(key.str());
    std::string path = absl::StrCat("exporter.", util::KeyForMessage(k));
    if (k == "listen") {
      ParseListen(node, path, problems, settings);
    } else if (k == "listen_addresses") {
      if (listen == nullptr) {
        ParseListenAddresses(node, path, problems, settings);
      }
    } else if (k == "metrics_path" || k == "telemetry_path") {
      ParseMetricsPath(node, path, problems, settings);
    } else if (k == "web_config_file") {
      ParseWebConfigFile(node, path, problems, settings);
    } else if (k == "memory_limit") {
      result.memory_limit_set =
          ParseMemoryLimit(node, path, problems, settings);
    } else {
      Report(problems, key.source().begin, path, UnknownKey(k, kAllowed, ""));
    }
  }
  return result;
}

}  // namespace mcast::exporter
