#include "exporter/mesh_table_parser.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "exporter/probe_keys.h"
#include "exporter/probe_table_parser.h"
#include "exporter/toml_values.h"
#include "probe/spec_check.h"
#include "util/message_text.h"

namespace mcast::exporter {
namespace {

constexpr size_t kMaxMemberName = 63;

absl::StatusOr<std::string> CheckMemberName(absl::string_view name) {
  return CheckConfigName(name, kMaxMemberName, "member name",
                         kMemberNameAllowed);
}

absl::StatusOr<bool> ParseMode(absl::string_view text) {
  if (text == "ssm") return true;
  if (text == "asm") return false;
  return absl::InvalidArgumentError(absl::StrCat(util::QuoteUntrusted(text),
                                                 " is not a mesh mode (",
                                                 kMeshModeAllowed, ")"));
}

std::vector<absl::string_view> MeshKeys() {
  std::vector<absl::string_view> keys = AllowedKeys(TableKind::kMesh);
  keys.push_back("mode");
  keys.push_back("member");
  return keys;
}

MeshMemberFields ParseMember(const toml::table& table, std::string path,
                             TomlProblems& p) {
  static const std::vector<absl::string_view> kAllowed = {"name", "address",
                                                          "interface"};
  MeshMemberFields m;
  m.table = &table;
  m.path = std::move(path);
  for (auto&& [key, node] : table) {
    absl::string_view k = Sv(key.str());
    std::string at = absl::StrCat(m.path, ".", util::KeyForMessage(k));
    if (k == "name") {
      SetField(
          &m.name, node,
          StringThrough(p, node, at, kMemberNameAllowed, &CheckMemberName));
    } else if (k == "address") {
      SetField(&m.address, node,
               StringThrough(p, node, at, probe::kSourceAllowed,
                             &probe::ParseSource));
    } else if (k == "interface") {
      SetField(&m.interface, node,
               StringThrough(p, node, at, probe::kInterfaceAllowed,
                             &CheckInterfaceValue));
    } else {
      Report(p, key.source().begin, at, UnknownKey(k, kAllowed, ""));
    }
  }
  return m;
}

void ParseMembers(const toml::node& node, const std::string& prefix,
                  TomlProblems& p, MeshFields* f) {
  const std::string key = absl::StrCat(prefix, ".member");
  if (const toml::array* a = node.as_array();
      a != nullptr && a->size() > kMaxMeshMembers) {
    Report(p, node, key,
           absl::StrCat(a->size(), " members, at most ", kMaxMeshMembers,
                        " per mesh"));
    return;
  }
  ForEachTable(p, node, key, "write each member as [[mesh.member]]",
               [&](const toml::table& table, std::string path) {
                 f->members.push_back(ParseMember(table, std::move(path), p));
               });
}

}  // namespace

MeshFields ParseMeshTable(const toml::table& table, const std::string& prefix,
                          TomlProblems& problems) {
  MeshFields f;
  f.probe.table = &table;
  for (auto&& [key, node] : table) {
    absl::string_view k = Sv(key.str());
    std::string path = absl::StrCat(prefix, ".", util::KeyForMessage(k));
    if (k == "mode") {
      SetField(
          &f.ssm, node,
          StringThrough(problems, node, path, kMeshModeAllowed, &ParseMode));
      continue;
    }
    if (k == "member") {
      ParseMembers(node, prefix, problems, &f);
      continue;
    }
    const ProbeKey* spec = FindProbeKey(k);
    if (spec == nullptr || !AllowedIn(*spec, TableKind::kMesh)) {
      std::string hint;
      if (k == "source" || k == "address") {
        hint = "each [[mesh.member]] has its address";
      } else if (spec != nullptr) {
        hint = absl::StrCat(k, " is not a mesh setting");
      }
      Report(problems, key.source().begin, path,
             UnknownKey(k, MeshKeys(), hint));
      continue;
    }
    ParseProbeValue(k, node, path, problems, &f.probe);
  }
  return f;
}

}  // namespace mcast::exporter
