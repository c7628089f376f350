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

void ParseListen(const toml::node& node, const std::string& path,
                 TomlProblems& problems, ExporterSettings* settings) {
  const toml::value<std::string>* v = node.as_string();
  if (v == nullptr) {
    Report(problems, node, path, WrongType(node, "a string", kListenAllowed));
    return;
  }
  absl::string_view text = Sv(v->get());
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
      return;
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == absl::string_view::npos) {
      bad("has no :PORT");
      return;
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (absl::StrContains(host, ':')) {
      bad("needs brackets around the IPv6 address");
      return;
    }
  }
  auto address = inet::IpAddress::Parse(host);
  if (!address.ok()) {
    bad(absl::StrCat("has no IP address before the port (",
                     util::QuoteUntrusted(host),
                     " is not one; host names are not resolved)"));
    return;
  }
  if (absl::StartsWith(text, "[") != address->is_v6()) {
    bad("needs brackets around IPv6 addresses only");
    return;
  }
  int port = -1;
  if (port_text.empty() || !absl::ascii_isdigit(port_text[0]) ||
      !absl::SimpleAtoi(port_text, &port) || port > 65535) {
    bad("has no port from 0 to 65535");
    return;
  }
  settings->listen_address = *address;
  settings->listen_port = static_cast<uint16_t>(port);
  settings->listen = address->is_v6()
                         ? absl::StrCat("[", address->ToString(), "]:", port)
                         : absl::StrCat(address->ToString(), ":", port);
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
      "listen", "metrics_path", "memory_limit"};
  ExporterSettingsParse result;
  for (auto&& [key, node] : table) {
    absl::string_view k = Sv(key.str());
    std::string path = absl::StrCat("exporter.", util::KeyForMessage(k));
    if (k == "listen") {
      ParseListen(node, path, problems, settings);
    } else if (k == "metrics_path") {
      ParseMetricsPath(node, path, problems, settings);
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
