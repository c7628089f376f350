#include "exporter/mesh_table_parser.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "exporter/probe_keys.h"
#include "exporter/probe_table_parser.h"
#include "exporter/toml_values.h"
#include "probe/spec_check.h"
#include "util/message_text.h"

namespace mcast::exporter {
namespace {

constexpr size_t kMaxMemberName = 63;

template <typename T>
void Set(Field<T>* field, const toml::node& node, std::optional<T> value) {
  field->node = &node;
  field->invalid = !value.has_value();
  field->value = std::move(value);
}

absl::StatusOr<std::string> CheckMemberName(absl::string_view name) {
  bool ok = !name.empty() && name.size() <= kMaxMemberName;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-' && c != '.') {
      ok = false;
    }
  }
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat(util::QuoteUntrusted(name),
                     " is not a valid member name (", kMemberNameAllowed, ")"));
  }
  return std::string(name);
}

absl::StatusOr<bool> ParseMode(absl::string_view text) {
  if (text == "ssm") return true;
  if (text == "asm") return false;
  return absl::InvalidArgumentError(absl::StrCat(util::QuoteUntrusted(text),
                                                 " is not a mesh mode (",
                                                 kMeshModeAllowed, ")"));
}

absl::StatusOr<std::string> CheckInterface(absl::string_view name) {
  absl::Status status = probe::CheckInterfaceName(name);
  if (!status.ok()) return status;
  return std::string(name);
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
      Set(&m.name, node,
          StringThrough(p, node, at, kMemberNameAllowed, &CheckMemberName));
    } else if (k == "address") {
      Set(&m.address, node,
          StringThrough(p, node, at, probe::kSourceAllowed,
                        &probe::ParseSource));
    } else if (k == "interface") {
      Set(&m.interface, node,
          StringThrough(p, node, at, probe::kInterfaceAllowed,
                        &CheckInterface));
    } else {
      Report(p, key.source().begin, at, UnknownKey(k, kAllowed, ""));
    }
  }
  return m;
}

void ParseMembers(const toml::node& node, const std::string& prefix,
                  TomlProblems& p, MeshFields* f) {
  const std::string key = absl::StrCat(prefix, ".member");
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    Report(p, node, key,
           WrongType(node, "an array of tables",
                     "write each member as [[mesh.member]]"));
    return;
  }
  if (array->size() > kMaxMeshMembers) {
    Report(p, node, key,
           absl::StrCat(array->size(), " members, at most ", kMaxMeshMembers,
                        " per mesh"));
    return;
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    std::string path = absl::StrCat(key, "[", i, "]");
    const toml::table* table = element.as_table();
    if (table == nullptr) {
      Report(p, element, path,
             WrongType(element, "a table",
                       "write each member as [[mesh.member]]"));
      continue;
    }
    f->members.push_back(ParseMember(*table, std::move(path), p));
  }
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
      Set(&f.ssm, node,
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
