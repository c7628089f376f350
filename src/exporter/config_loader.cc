#include "exporter/config_loader.h"

// The walk over the document: which tables exist, in which order they are
// read ([defaults] before the probes that inherit from it), and toml::parse
// with its exceptions turned into a Status. What each table holds is read by
// exporter_settings_parser.h and probe_table_parser.h, combined by
// probe_table_resolver.h; values go through probe/spec_check.h, the rules
// mcast-send and mcast-receive use too.
#include <toml++/toml.h>

#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "exporter/config_file.h"
#include "exporter/exporter_settings_parser.h"
#include "exporter/mesh_table_parser.h"
#include "exporter/mesh_table_resolver.h"
#include "exporter/probe_keys.h"
#include "exporter/probe_table_parser.h"
#include "exporter/probe_table_resolver.h"
#include "exporter/toml_nesting_check.h"
#include "exporter/toml_problems.h"
#include "exporter/toml_values.h"
#include "util/message_text.h"

namespace mcast::exporter {
namespace {

class DocumentParser {
 public:
  DocumentParser(absl::string_view file_name, const MeshHost& host)
      : problems_(file_name),
        resolver_(defaults_, problems_, &config_),
        meshes_(defaults_, host, resolver_, problems_, &config_) {}

  absl::StatusOr<Config> Run(const toml::table& root) {
    ParseRoot(root);
    if (problems_.empty()) resolver_.CheckMemory(memory_limit_set_);
    if (!problems_.empty()) return problems_.ToStatus();
    return std::move(config_);
  }

 private:
  void ParseRoot(const toml::table& root) {
    static const std::vector<absl::string_view> kAllowed = {
        "exporter", "defaults", "sender", "receiver", "mesh"};
    const toml::node* senders = nullptr;
    const toml::node* receivers = nullptr;
    const toml::node* meshes = nullptr;
    for (auto&& [key, node] : root) {
      absl::string_view k = Sv(key.str());
      if (k == "exporter") {
        if (const toml::table* t = ExpectTable(node, "exporter")) {
          memory_limit_set_ =
              ParseExporterSettings(*t, problems_, &config_.exporter)
                  .memory_limit_set;
        }
      } else if (k == "defaults") {
        if (const toml::table* t = ExpectTable(node, "defaults")) {
          defaults_ =
              ParseProbeTable(*t, TableKind::kDefaults, "defaults", problems_);
        }
      } else if (k == "sender") {
        senders = &node;
      } else if (k == "receiver") {
        receivers = &node;
      } else if (k == "mesh") {
        meshes = &node;
      } else {
        Report(problems_, key.source().begin, util::KeyForMessage(k),
               UnknownKey(k, kAllowed, ""));
      }
    }
    // Probes after [defaults], whatever the file order, since they inherit.
    if (senders != nullptr) ParseProbes(*senders, TableKind::kSender);
    if (receivers != nullptr) ParseProbes(*receivers, TableKind::kReceiver);
    if (meshes != nullptr) ParseMeshes(*meshes);
    resolver_.CheckNames();
  }

  const toml::table* ExpectTable(const toml::node& node,
                                 absl::string_view key) {
    if (const toml::table* t = node.as_table()) return t;
    Report(problems_, node, key,
           WrongType(node, "a table", absl::StrCat("write it as [", key, "]")));
    return nullptr;
  }

  void ParseProbes(const toml::node& node, TableKind kind) {
    const char* key = kind == TableKind::kSender ? "sender" : "receiver";
    ForEachTable(
        problems_, node, key, absl::StrCat("write each probe as [[", key, "]]"),
        [&](const toml::table& table, const std::string& path) {
          ProbeFields fields = ParseProbeTable(table, kind, path, problems_);
          if (kind == TableKind::kSender) {
            resolver_.AddSender(fields, path);
          } else {
            resolver_.AddReceiver(fields, path);
          }
        });
  }

  void ParseMeshes(const toml::node& node) {
    ForEachTable(problems_, node, "mesh", "write each mesh as [[mesh]]",
                 [&](const toml::table& table, const std::string& path) {
                   meshes_.AddMesh(ParseMeshTable(table, path, problems_),
                                   path);
                 });
  }

  TomlProblems problems_;
  Config config_;
  ProbeFields defaults_;
  ProbeTableResolver resolver_;
  MeshTableResolver meshes_;
  bool memory_limit_set_ = false;
};

}  // namespace

absl::StatusOr<Config> ParseConfig(absl::string_view text,
                                   absl::string_view file_name,
                                   const MeshHost& host) {
  // Refused before toml++ sees them: input that would exhaust its stack
  // (see toml_nesting_check.h) or its time and memory.
  if (text.size() > kMaxConfigFileSize) return ConfigTooLarge(file_name);
  absl::Status nesting = CheckTomlNesting(text, file_name);
  if (!nesting.ok()) return nesting;

  std::string_view doc(text.data(), text.size());
  std::string_view source(file_name.data(), file_name.size());
  try {
    toml::table root = toml::parse(doc, source);
    return DocumentParser(file_name, host).Run(root);
  } catch (const toml::parse_error& e) {
    const toml::source_position& at = e.source().begin;
    return absl::InvalidArgumentError(util::SanitizeLine(
        absl::StrCat(file_name, ":", at.line, ":", at.column,
                     ": syntax error: ", Sv(e.description())),
        kMaxProblemLine));
  } catch (const std::exception& e) {
    // Nothing else should escape toml++ but allocation failure; keep the
    // promise that the core reports errors as Status.
    return absl::InternalError(util::SanitizeLine(
        absl::StrCat(file_name, ": cannot parse: ", e.what()),
        kMaxProblemLine));
  }
}

absl::StatusOr<Config> LoadConfigFile(const std::string& path,
                                      const MeshHost& host) {
  absl::StatusOr<std::string> text = ReadConfigFile(path);
  if (!text.ok()) return text.status();
  return ParseConfig(*text, path, host);
}

}  // namespace mcast::exporter
