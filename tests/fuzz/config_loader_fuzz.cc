// The exporter's config loader (ParseConfig: pre-checks, toml++, validation)
// fed text that is mostly TOML. A custom mutator adds what random bytes
// rarely reach: deep nesting of every kind, dotted key and header chains,
// long values, newlines and control characters inside strings, duplicate
// lines and valid [[sender]] / [[receiver]] skeletons.
//
// Invariants beyond "no crash":
// - every error message is at most 21 lines, each of at most 1024 bytes of
//   printable ASCII, each starting with the file name;
// - an accepted config keeps the loader's promises (unique names, ranges);
// - when the nesting pre-check lets text through, the tree toml++ builds is
//   at most 2 * kMaxTomlNesting deep (see toml_nesting_check.h): the
//   pre-check never under-counts what makes toml++ recurse.
#include <toml++/toml.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "exporter/config.h"
#include "exporter/config_loader.h"
#include "exporter/mesh_host.h"
#include "exporter/toml_nesting_check.h"
#include "inet/ip_address.h"

// Weak: the replay build (replay_main.cc, no libFuzzer) never mutates.
extern "C" __attribute__((weak)) size_t LLVMFuzzerMutate(uint8_t* data,
                                                         size_t size,
                                                         size_t max_size);

namespace {

using mcast::exporter::CheckTomlNesting;
using mcast::exporter::Config;
using mcast::exporter::ParseConfig;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

constexpr char kName[] = "fuzz.toml";

void CheckMessage(absl::string_view message) {
  std::vector<absl::string_view> lines = absl::StrSplit(message, '\n');
  Check(!message.empty() && lines.size() <= 21);
  for (absl::string_view line : lines) {
    Check(line.size() <= 1024);
    Check(absl::StartsWith(line, kName));
    for (char c : line) {
      const unsigned char u = static_cast<unsigned char>(c);
      Check(u >= 0x20 && u < 0x7f);
    }
  }
}

void CheckConfig(const Config& config) {
  // Plain probe names are unique across senders and receivers; a mesh's
  // sender and ASM receiver both bear the mesh's name (separate maps).
  std::set<std::string> names, sender_names, receiver_names;
  for (const auto& s : config.senders) {
    Check(sender_names.insert(s.name).second && !s.name.empty());
    if (s.mesh.active()) {
      Check(s.name == s.mesh.mesh && !s.loopback && s.source == s.mesh.address);
      continue;
    }
    Check(names.insert(s.name).second);
    Check(s.group.is_v4() && s.group.is_multicast() && s.port > 0);
    Check(s.ttl >= 0 && s.ttl <= 255 && s.dscp >= 0 && s.dscp <= 63);
    Check(s.packets_per_second >= 0.001 && s.packets_per_second <= 1e6);
  }
  for (const auto& r : config.receivers) {
    Check(receiver_names.insert(r.name).second && !r.name.empty());
    if (r.mesh.active()) {
      for (const auto& p : r.mesh.peers) Check(p.address != r.mesh.address);
      Check(!r.is_ssm() ||
            (r.mesh.peers.size() == 1 && r.mesh.peers[0].address == r.source));
    } else {
      Check(sender_names.count(r.name) == 0);
      Check(names.insert(r.name).second);
    }
    Check(r.group.is_v4() && r.group.is_multicast() && r.port > 0);
    Check(!r.is_ssm() || r.igmp_version == 3);
    Check(r.reorder_packets >= 1 && r.max_senders >= 1);
  }
  Check(absl::StartsWith(config.exporter.metrics_path, "/"));
}

// Depth of toml++'s tree without recursion (the tree is what we measure).
int TreeDepth(const toml::node& root) {
  int deepest = 0;
  std::vector<std::pair<const toml::node*, int>> stack = {{&root, 0}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    deepest = std::max(deepest, depth);
    if (const toml::table* t = node->as_table()) {
      for (auto&& [k, v] : *t) stack.push_back({&v, depth + 1});
    } else if (const toml::array* a = node->as_array()) {
      for (const toml::node& v : *a) stack.push_back({&v, depth + 1});
    }
  }
  return deepest;
}

// --- Structure-aware mutations. ---

constexpr const char* kSkeletons[] = {
    "[[sender]]\nname = \"s1\"\ngroup = \"239.1.1.1\"\nrate = \"25pps\"\n",
    "[[receiver]]\nname = \"r1\"\ngroup = \"239.1.1.1\"\ninterface = \"lo\"\n",
    "[[receiver]]\nname = \"ssm\"\ngroup = \"232.1.1.1\"\nsource = "
    "\"10.0.0.1\"\nigmp_version = 2\n",
    "[defaults]\ninterface = \"lo\"\nttl = 4\ndscp = \"af41\"\n",
    "[exporter]\nlisten = \"127.0.0.1:0\"\nmetrics_path = \"/metrics\"\n",
    "[[sender]]\nname = \"s1\"\ngroup = \"239.1.1.2\"\n",  // Duplicate name.
    // A mesh this host (10.77.0.1, see kHost) is a member of, and members.
    "[[mesh]]\nname = \"m1\"\ngroup = \"239.77.0.1\"\n[[mesh.member]]\nname = "
    "\"a\"\naddress = \"10.77.0.1\"\n[[mesh.member]]\nname = \"b\"\naddress = "
    "\"10.77.0.2\"\n",
    "[[mesh.member]]\nname = \"c\"\naddress = \"10.77.0.3\"\n",
    "[[mesh]]\nname = \"m2\"\ngroup = \"232.77.0.1\"\n[[mesh.member]]\nname = "
    "\"a\"\naddress = \"10.77.0.1\"\n",
};
constexpr const char* kOpeners[] = {"{a=", "[", "[{a=", ".a", "{a.b=", "[["};
constexpr const char* kNasty[] = {
    "\\n", "\\u001b[2J", "\\r", "\\t", "\\u0000", "\n", "\x1b", "\x7f", "\xff",
    "\"",  "'",          "\\",  "'''", "\"\"\"",  "#",  "]",    "}"};

using Rng = std::minstd_rand;

size_t Pick(Rng& rng, size_t n) { return n == 0 ? 0 : rng() % n; }

std::string Repeat(absl::string_view s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out.append(s.data(), s.size());
  return out;
}

// Lengths that cluster around the limits that matter (32, 64, 1024).
size_t Length(Rng& rng) {
  static constexpr size_t kSizes[] = {1,  2,  16,  31,   32,   33,   63,
                                      64, 65, 100, 1000, 1025, 5000, 40000};
  return kSizes[Pick(rng, std::size(kSizes))] + Pick(rng, 3);
}

void MutateText(std::string* text, Rng& rng) {
  const size_t at = Pick(rng, text->size() + 1);
  switch (Pick(rng, 8)) {
    case 0: {  // Nesting: one construct repeated, sometimes closed.
      const std::string opener = kOpeners[Pick(rng, std::size(kOpeners))];
      const size_t n = Length(rng);
      std::string s = Repeat(opener, n);
      if (rng() % 2) {
        const char* closer = opener[0] == '{'   ? "}"
                             : opener == "[{a=" ? "}]"
                             : opener[0] == '[' ? "]"
                                                : "";
        s += "1" + Repeat(closer, n);
      }
      text->insert(at, s);
      break;
    }
    case 1:  // A dotted key chain on its own line.
      text->insert(at, "\n" + Repeat("k.", Length(rng)) + "k = 1\n");
      break;
    case 2:  // A header chain.
      text->insert(at, std::string(rng() % 2 ? "\n[[" : "\n[") +
                           Repeat("t.", Length(rng)) + "t]\nk = 1\n");
      break;
    case 3: {  // A long value with escapes and raw control characters.
      std::string v;
      const size_t n = Length(rng);
      for (size_t i = 0; i < n; ++i) {
        v += rng() % 4 ? std::string(1, static_cast<char>('a' + rng() % 26))
                       : kNasty[Pick(rng, std::size(kNasty))];
      }
      static constexpr const char* kKeys[] = {
          "name",   "group",        "interface",     "rate",   "dscp", "clock",
          "listen", "metrics_path", "stall_timeout", "source", "x"};
      text->insert(at, std::string("\n") + kKeys[Pick(rng, std::size(kKeys))] +
                           " = \"" + v + "\"\n");
      break;
    }
    case 4: {  // Duplicate a line (duplicate keys, repeated headers).
      std::vector<std::string> lines = absl::StrSplit(*text, '\n');
      if (lines.empty()) break;
      const std::string line = lines[Pick(rng, lines.size())];
      text->insert(at, "\n" + line + "\n");
      break;
    }
    case 5:  // A valid probe or section.
      text->insert(
          at, std::string("\n") + kSkeletons[Pick(rng, std::size(kSkeletons))]);
      break;
    case 6:  // Something nasty inside or next to an existing string.
      if (size_t q = text->find('"', at); q != std::string::npos) {
        text->insert(q + 1, kNasty[Pick(rng, std::size(kNasty))]);
      }
      break;
    default: {  // Many copies of one line: error-count and memory bounds.
      const std::string line = "k" + std::to_string(rng() % 100) + " = 1\n";
      text->insert(at, Repeat(line, Length(rng)));
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  // A host with one mesh member's address, so meshes expand.
  static const mcast::exporter::MeshHost kHost = {
      {*mcast::inet::IpAddress::Parse("10.77.0.1")}, ""};
  absl::StatusOr<Config> config = ParseConfig(text, kName, kHost);
  if (config.ok()) {
    CheckConfig(*config);
  } else {
    CheckMessage(config.status().message());
  }
  if (size <= (4u << 20) && CheckTomlNesting(text, kName).ok()) {
    try {
      toml::table root = toml::parse(std::string_view(text.data(), size),
                                     std::string_view(kName));
      Check(TreeDepth(root) <= 2 * mcast::exporter::kMaxTomlNesting + 1);
    } catch (const toml::parse_error&) {
    }
  }
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size,
                                          size_t max_size, unsigned int seed) {
  Rng rng(seed);
  if (rng() % 3 == 0 && LLVMFuzzerMutate != nullptr) {
    return LLVMFuzzerMutate(data, size, max_size);
  }
  std::string text(reinterpret_cast<const char*>(data), size);
  const int edits = 1 + static_cast<int>(rng() % 3);
  for (int i = 0; i < edits; ++i) MutateText(&text, rng);
  if (text.size() > max_size) text.resize(max_size);
  std::memcpy(data, text.data(), text.size());
  return text.size();
}
