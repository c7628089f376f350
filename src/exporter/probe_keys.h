#ifndef MCAST_EXPORTER_PROBE_KEYS_H_
#define MCAST_EXPORTER_PROBE_KEYS_H_

// Which keys a [[sender]], [[receiver]] or [defaults] table may hold, and
// the "unknown key" text that says what was meant. Unknown keys are errors
// at every level: a misspelt key would otherwise silently fall back to a
// default.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace mcast::exporter {

// kMesh: the probe keys a [[mesh]] table holds (mesh_table_parser.h adds
// its own: mode, member).
enum class TableKind { kDefaults, kSender, kReceiver, kMesh };

struct ProbeKey {
  const char* name;
  bool sender;
  bool receiver;
  bool defaults;  // Everything but name, group and source.
  bool mesh;      // What a mesh's flows share (see mesh_table_parser.h).
};

// The key's entry, or nullptr when no probe table knows it.
const ProbeKey* FindProbeKey(absl::string_view name);
bool AllowedIn(const ProbeKey& key, TableKind kind);
// The keys a table of `kind` may hold, in table order.
std::vector<absl::string_view> AllowedKeys(TableKind kind);

// "unknown key: HINT (allowed: a, b)" or, without a hint, "unknown key, did
// you mean 'rate'? (allowed: ...)" when one allowed key is a near miss.
std::string UnknownKey(absl::string_view key,
                       const std::vector<absl::string_view>& allowed,
                       absl::string_view hint);

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_PROBE_KEYS_H_
