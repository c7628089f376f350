#ifndef MCAST_EXPORTER_TOML_VALUES_H_
#define MCAST_EXPORTER_TOML_VALUES_H_

// Scalar TOML values to text or typed values: where a toml++ node meets the
// shared checks of probe/spec_check.h. Each adapter either returns the value
// or reports one problem (at the node, under `key`) and returns nullopt.
//
// Numbers are handed to the same text parsers as strings ("rate = 1000"
// means what --rate 1000 means), so a value means the same in the file as
// on the command line and gets the same reason text.
//
// Debian builds toml++ with exceptions; only config_loader.cc calls
// toml::parse (and catches what it throws), these only read parsed nodes.

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "exporter/toml_problems.h"

#if !TOML_EXCEPTIONS
#error "the config loader expects toml++ with exceptions, as Debian ships it"
#endif

namespace mcast::exporter {

// Debian's Abseil has its own string_view: convert at the toml++ boundary.
inline absl::string_view Sv(std::string_view s) { return {s.data(), s.size()}; }

void Report(TomlProblems& problems, const toml::source_position& at,
            absl::string_view key, absl::string_view what);
void Report(TomlProblems& problems, const toml::node& node,
            absl::string_view key, absl::string_view what);

// "expected EXPECTED, got a float (ALLOWED)".
std::string WrongType(const toml::node& node, absl::string_view expected,
                      absl::string_view allowed);

// The text of an integer, float or string node; nullopt for other types.
std::optional<std::string> NumberText(const toml::node& node);

std::optional<std::string> StringValue(TomlProblems& problems,
                                       const toml::node& node,
                                       absl::string_view key,
                                       absl::string_view allowed);
std::optional<bool> BoolValue(TomlProblems& problems, const toml::node& node,
                              absl::string_view key);
// An integer node checked by `check` (e.g. probe::CheckTtl); `allowed` is
// shown when the node is not an integer at all.
std::optional<int> IntValue(TomlProblems& problems, const toml::node& node,
                            absl::string_view key, absl::string_view allowed,
                            absl::StatusOr<int> (*check)(int64_t));

// A string node through a shared text parser (probe::ParseGroup...).
template <typename T>
std::optional<T> StringThrough(TomlProblems& problems, const toml::node& node,
                               absl::string_view key, absl::string_view allowed,
                               absl::StatusOr<T> (*parse)(absl::string_view)) {
  std::optional<std::string> text = StringValue(problems, node, key, allowed);
  if (!text) return std::nullopt;
  absl::StatusOr<T> value = parse(*text);
  if (!value.ok()) {
    Report(problems, node, key, value.status().message());
    return std::nullopt;
  }
  return *std::move(value);
}

// A string or number node through a shared text parser; `expected` names
// the node types accepted ("a string or a number"). `integers_only` refuses
// floats (DSCP, byte sizes).
template <typename T>
std::optional<T> TextThrough(TomlProblems& problems, const toml::node& node,
                             absl::string_view key, absl::string_view expected,
                             absl::string_view allowed, bool integers_only,
                             absl::StatusOr<T> (*parse)(absl::string_view)) {
  std::optional<std::string> text;
  if (!integers_only || !node.is_floating_point()) text = NumberText(node);
  if (!text) {
    Report(problems, node, key, WrongType(node, expected, allowed));
    return std::nullopt;
  }
  absl::StatusOr<T> value = parse(*text);
  if (!value.ok()) {
    Report(problems, node, key, value.status().message());
    return std::nullopt;
  }
  return *std::move(value);
}

// Every table of an array of tables ([[sender]], [[mesh]],
// [[mesh.member]]): f(table, "KEY[i]"); a node that is not an array, or
// an element that is not a table, is reported with `hint` ("write each
// probe as [[sender]]"). `key` is the array's path ("sender",
// "mesh[0].member").
template <typename F>
void ForEachTable(TomlProblems& problems, const toml::node& node,
                  const std::string& key, absl::string_view hint, F f) {
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    Report(problems, node, key, WrongType(node, "an array of tables", hint));
    return;
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    std::string path = absl::StrCat(key, "[", i, "]");
    if (const toml::table* table = element.as_table()) {
      f(*table, std::move(path));
    } else {
      Report(problems, element, path, WrongType(element, "a table", hint));
    }
  }
}

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_TOML_VALUES_H_
