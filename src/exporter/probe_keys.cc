#include "exporter/probe_keys.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace mcast::exporter {
namespace {

constexpr ProbeKey kProbeKeys[] = {
    {"name", true, true, false, true},
    {"group", true, true, false, true},
    {"source", true, true, false, false},
    {"interface", true, true, true, true},
    {"port", true, true, true, true},
    {"ttl", true, false, true, true},
    {"dscp", true, false, true, true},
    {"rate", true, false, true, true},
    {"size", true, false, true, true},
    {"clock", true, false, true, true},
    {"loopback", true, false, true, false},
    {"igmp_version", false, true, true, true},
    {"mld_version", false, true, true, true},
    {"stall_timeout", false, true, true, true},
    {"reorder_window", false, true, true, true},
    {"reorder_packets", false, true, true, true},
    {"max_senders", false, true, true, false},
    {"sender_expiry", false, true, true, true},
    {"rejoin_interval", false, true, true, false},
    {"decode", false, true, true, false},
    {"rtp_clock_rate", false, true, true, false},
};

// Levenshtein distance, to suggest the key a typo meant.
size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

const ProbeKey* FindProbeKey(absl::string_view name) {
  for (const ProbeKey& key : kProbeKeys) {
    if (name == key.name) return &key;
  }
  return nullptr;
}

bool AllowedIn(const ProbeKey& key, TableKind kind) {
  switch (kind) {
    case TableKind::kDefaults:
      return key.defaults;
    case TableKind::kSender:
      return key.sender;
    case TableKind::kReceiver:
      return key.receiver;
    case TableKind::kMesh:
      return key.mesh;
  }
  return false;
}

std::vector<absl::string_view> AllowedKeys(TableKind kind) {
  std::vector<absl::string_view> allowed;
  for (const ProbeKey& key : kProbeKeys) {
    if (AllowedIn(key, kind)) allowed.push_back(key.name);
  }
  return allowed;
}

std::string UnknownKey(absl::string_view key,
                       const std::vector<absl::string_view>& allowed,
                       absl::string_view hint) {
  std::string text = "unknown key";
  if (!hint.empty()) {
    absl::StrAppend(&text, ": ", hint);
  } else {
    absl::string_view best;
    size_t best_distance = 3;
    for (absl::string_view candidate : allowed) {
      size_t d = EditDistance(absl::AsciiStrToLower(key), candidate);
      if (d < best_distance && d < candidate.size() / 2 + 1) {
        best = candidate;
        best_distance = d;
      }
    }
    if (!best.empty()) absl::StrAppend(&text, ", did you mean '", best, "'?");
  }
  absl::StrAppend(&text, " (allowed: ", absl::StrJoin(allowed, ", "), ")");
  return text;
}

}  // namespace mcast::exporter
