#include "exporter/toml_values.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mcast::exporter {
namespace {

const char* TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

}  // namespace

void Report(TomlProblems& problems, const toml::source_position& at,
            absl::string_view key, absl::string_view what) {
  problems.Add(at.line, at.column, key, what);
}

void Report(TomlProblems& problems, const toml::node& node,
            absl::string_view key, absl::string_view what) {
  Report(problems, node.source().begin, key, what);
}

std::string WrongType(const toml::node& node, absl::string_view expected,
                      absl::string_view allowed) {
  return absl::StrCat("expected ", expected, ", got ", TypeName(node), " (",
                      allowed, ")");
}

std::optional<std::string> NumberText(const toml::node& node) {
  if (const toml::value<int64_t>* i = node.as_integer()) {
    return absl::StrCat(i->get());
  }
  if (const toml::value<double>* d = node.as_floating_point()) {
    return absl::StrFormat("%.17g", d->get());
  }
  if (const toml::value<std::string>* s = node.as_string()) {
    return std::string(s->get());
  }
  return std::nullopt;
}

std::optional<std::string> StringValue(TomlProblems& problems,
                                       const toml::node& node,
                                       absl::string_view key,
                                       absl::string_view allowed) {
  const toml::value<std::string>* v = node.as_string();
  if (v == nullptr) {
    Report(problems, node, key, WrongType(node, "a string", allowed));
    return std::nullopt;
  }
  return std::string(v->get());
}

std::optional<bool> BoolValue(TomlProblems& problems, const toml::node& node,
                              absl::string_view key) {
  const toml::value<bool>* v = node.as_boolean();
  if (v == nullptr) {
    Report(problems, node, key, WrongType(node, "a boolean", "true or false"));
    return std::nullopt;
  }
  return v->get();
}

std::optional<int> IntValue(TomlProblems& problems, const toml::node& node,
                            absl::string_view key, absl::string_view allowed,
                            absl::StatusOr<int> (*check)(int64_t)) {
  const toml::value<int64_t>* v = node.as_integer();
  if (v == nullptr) {
    Report(problems, node, key, WrongType(node, "an integer", allowed));
    return std::nullopt;
  }
  absl::StatusOr<int> value = check(v->get());
  if (!value.ok()) {
    Report(problems, node, key, value.status().message());
    return std::nullopt;
  }
  return *value;
}

}  // namespace mcast::exporter
