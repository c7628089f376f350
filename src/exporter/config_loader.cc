#include "exporter/config_loader.h"

// The only file that sees toml++. Debian builds toml++ with exceptions, so
// toml::parse throws toml::parse_error; it is caught here and turned into an
// absl::Status like every other error of the core.
#include <errno.h>
#include <fcntl.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "exporter/toml_nesting_check.h"
#include "inet/ip_address.h"
#include "packet/header.h"
#include "stats/receiver_stats.h"
#include "util/byte_size.h"
#include "util/dscp.h"
#include "util/duration.h"
#include "util/errno_status.h"
#include "util/message_text.h"
#include "util/rate.h"

#if !TOML_EXCEPTIONS
#error "config_loader.cc expects toml++ with exceptions, as Debian ships it"
#endif

namespace mcast::exporter {
namespace {

// Debian's Abseil has its own string_view: convert at the toml++ boundary.
absl::string_view Sv(std::string_view s) { return {s.data(), s.size()}; }

// Bounds that come from the wire format or the kernel rather than taste.
constexpr int kMaxNameLength = 64;
constexpr size_t kMaxInterfaceName = 15;  // IFNAMSIZ - 1.
constexpr int kMinSize = static_cast<int>(packet::kHeaderSize);
constexpr int kMaxSize = static_cast<int>(packet::kMaxDatagramSize);
// The header carries the interval in whole microseconds (uint32): above 1M
// pps it would round to 0 ("unknown"); below 0.001 pps (one packet per 1000
// s) it nears the field's 71-minute limit and no stall timeout makes sense.
constexpr double kMinPacketsPerSecond = 0.001;
constexpr double kMaxPacketsPerSecond = 1e6;
// The sequence tracker needs max_reorder_packets below kDuplicateWindow / 2.
constexpr int kMaxReorderPackets =
    static_cast<int>(stats::SequenceTracker::kDuplicateWindow / 2 - 1);
// A hard cap; what really bounds max_senders is exporter.memory_limit,
// against which every receiver's worst case is checked (CheckMemory).
constexpr int kMaxMaxSenders = 65536;
// A config is a few KiB; the cap stops `--check-config /dev/zero` from
// reading forever and bounds what toml++ builds (~150 MB at worst for
// 4 MiB of tiny tables).
constexpr size_t kMaxFileSize = 4 << 20;
// Error output is for a person fixing a file: the first problems in file
// order, each one line of printable ASCII, whatever the file holds.
constexpr size_t kMaxReportedProblems = 20;
constexpr size_t kMaxProblemLine = 1024;

constexpr char kGroupAllowed[] =
    "an IPv4 multicast address, e.g. \"239.1.2.3\"";
constexpr char kSourceAllowed[] = "an IPv4 unicast address, e.g. \"10.0.0.1\"";
constexpr char kNameAllowed[] =
    "1-64 letters, digits, '_', '-' or '.', e.g. \"feed-a\"";
constexpr char kInterfaceAllowed[] =
    "an interface name of 1-15 characters without '/', ':' or spaces, e.g. "
    "\"eth0\" or \"lo\"";
constexpr char kDurationAllowed[] =
    "a duration greater than zero, e.g. \"250ms\", \"3s\", 2.5";
constexpr char kRateAllowed[] =
    "e.g. \"25pps\", 1000, \"64kbps\", \"1.5Mbps\", \"1Gbps\"";
constexpr char kDscpAllowed[] =
    "0-63 or a name: be, ef, va, af11-af43, cs0-cs7";
constexpr char kClockAllowed[] = "\"monotonic\" or \"realtime\"";
constexpr char kListenAllowed[] =
    "HOST:PORT with an IP address, e.g. \"0.0.0.0:19779\", "
    "\"127.0.0.1:19779\" or \"[::]:19779\"; port 0 picks a free port";

// One reported problem, kept with its position so the final list can be
// sorted into file order whatever order the checks ran in.
struct Problem {
  uint32_t line;
  uint32_t column;
  std::string text;
};

class Problems {
 public:
  explicit Problems(absl::string_view file_name) : file_name_(file_name) {}

  void Add(const toml::source_region& where, absl::string_view key,
           absl::string_view what) {
    Add(where.begin, key, what);
  }
  void Add(const toml::source_position& at, absl::string_view key,
           absl::string_view what) {
    ++total_;
    // Tables that toml++ creates implicitly (from dotted keys) have no
    // position; "FILE:0:0" would only confuse.
    std::string where = at.line == 0 ? absl::StrCat(file_name_, ": ")
                                     : absl::StrCat(file_name_, ":", at.line,
                                                    ":", at.column, ": ");
    problems_.push_back(
        {at.line, at.column,
         util::SanitizeLine(absl::StrCat(where, key, ": ", what),
                            kMaxProblemLine)});
    // Keep only the first kMaxReportedProblems in file order, so a file of
    // a million bad keys costs neither memory nor output. Stable, so equal
    // positions keep the order the checks reported them in.
    if (problems_.size() >= 2 * kMaxReportedProblems) SortAndCut();
  }

  bool empty() const { return problems_.empty(); }

  absl::Status ToStatus() {
    SortAndCut();
    std::vector<std::string> lines;
    lines.reserve(problems_.size() + 1);
    for (const Problem& p : problems_) lines.push_back(p.text);
    if (total_ > problems_.size()) {
      lines.push_back(util::SanitizeLine(
          absl::StrCat(file_name_, ": and ", total_ - problems_.size(),
                       " more problems"),
          kMaxProblemLine));
    }
    return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
  }

 private:
  void SortAndCut() {
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const Problem& a, const Problem& b) {
                       return std::tie(a.line, a.column) <
                              std::tie(b.line, b.column);
                     });
    if (problems_.size() > kMaxReportedProblems) {
      problems_.resize(kMaxReportedProblems);
    }
  }

  std::string file_name_;
  std::vector<Problem> problems_;
  size_t total_ = 0;
};

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

std::string WrongType(const toml::node& node, absl::string_view expected,
                      absl::string_view allowed) {
  return absl::StrCat("expected ", expected, ", got ", TypeName(node), " (",
                      allowed, ")");
}

// The shared parsers (util/, net/) echo their input as '<text>', raw: swap
// that for the quoted, escaped and cut form. Whatever is left over is still
// made printable by Problems.
std::string Requote(absl::string_view message, absl::string_view raw) {
  return absl::StrReplaceAll(
      message, {{absl::StrCat("'", raw, "'"), util::QuoteUntrusted(raw)}});
}

// Whole numbers where they are large, so no exponent shows up in messages.
std::string FormatPps(double pps) {
  return pps >= 1000 ? absl::StrFormat("%.0f", pps)
                     : absl::StrFormat("%g", pps);
}

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

// A probe setting as found in one table: where it was written and, when
// valid, its parsed value. `invalid` marks a value already reported, so
// checks that combine settings (rate with size, SSM with igmp_version) stay
// quiet instead of reporting a consequence of the same mistake.
template <typename T>
struct Field {
  const toml::node* node = nullptr;
  std::optional<T> value;
  bool invalid = false;

  bool set() const { return node != nullptr; }
};

// The probe's own setting wins over [defaults].
template <typename T>
const Field<T>& Inherit(const Field<T>& own, const Field<T>& defaults) {
  return own.set() ? own : defaults;
}

// Every key a [[sender]], [[receiver]] or [defaults] table may hold.
struct ProbeFields {
  const toml::table* table = nullptr;
  Field<std::string> name;
  Field<inet::IpAddress> group;
  Field<inet::IpAddress> source;
  Field<std::string> interface;
  Field<int> port;
  Field<int> ttl;
  Field<int> dscp;
  Field<util::Rate> rate;
  Field<int> size;
  Field<SenderClock> clock;
  Field<bool> loopback;
  Field<int> igmp_version;
  Field<absl::Duration> stall_timeout;
  Field<absl::Duration> reorder_window;
  Field<int> reorder_packets;
  Field<int> max_senders;
  Field<absl::Duration> sender_expiry;
};

enum class TableKind { kDefaults, kSender, kReceiver };

struct KeySpec {
  const char* name;
  bool sender;
  bool receiver;
  bool defaults;
};

constexpr KeySpec kProbeKeys[] = {
    {"name", true, true, false},
    {"group", true, true, false},
    {"source", true, true, false},
    {"interface", true, true, true},
    {"port", true, true, true},
    {"ttl", true, false, true},
    {"dscp", true, false, true},
    {"rate", true, false, true},
    {"size", true, false, true},
    {"clock", true, false, true},
    {"loopback", true, false, true},
    {"igmp_version", false, true, true},
    {"stall_timeout", false, true, true},
    {"reorder_window", false, true, true},
    {"reorder_packets", false, true, true},
    {"max_senders", false, true, true},
    {"sender_expiry", false, true, true},
};

bool AllowedIn(const KeySpec& spec, TableKind kind) {
  switch (kind) {
    case TableKind::kDefaults:
      return spec.defaults;
    case TableKind::kSender:
      return spec.sender;
    case TableKind::kReceiver:
      return spec.receiver;
  }
  return false;
}

class Parser {
 public:
  explicit Parser(absl::string_view file_name) : problems_(file_name) {}

  absl::StatusOr<Config> Run(const toml::table& root) {
    ParseRoot(root);
    if (problems_.empty()) CheckMemory();
    if (!problems_.empty()) return problems_.ToStatus();
    return std::move(config_);
  }

 private:
  void Error(const toml::node& node, absl::string_view key,
             absl::string_view what) {
    problems_.Add(node.source(), key, what);
  }

  void ParseRoot(const toml::table& root) {
    static const std::vector<absl::string_view> kAllowed = {
        "exporter", "defaults", "sender", "receiver"};
    const toml::node* senders = nullptr;
    const toml::node* receivers = nullptr;
    for (auto&& [key, node] : root) {
      absl::string_view k = Sv(key.str());
      if (k == "exporter") {
        if (const toml::table* t = ExpectTable(node, "exporter")) {
          ParseExporter(*t);
        }
      } else if (k == "defaults") {
        if (const toml::table* t = ExpectTable(node, "defaults")) {
          defaults_ = ParseProbeTable(*t, TableKind::kDefaults, "defaults");
        }
      } else if (k == "sender") {
        senders = &node;
      } else if (k == "receiver") {
        receivers = &node;
      } else {
        problems_.Add(key.source(), util::KeyForMessage(k),
                      UnknownKey(k, kAllowed, ""));
      }
    }
    // Probes after [defaults], whatever the file order, since they inherit.
    if (senders != nullptr) ParseProbes(*senders, TableKind::kSender);
    if (receivers != nullptr) ParseProbes(*receivers, TableKind::kReceiver);
    CheckNames();
  }

  const toml::table* ExpectTable(const toml::node& node,
                                 absl::string_view key) {
    if (const toml::table* t = node.as_table()) return t;
    Error(node, key,
          WrongType(node, "a table", absl::StrCat("write it as [", key, "]")));
    return nullptr;
  }

  void ParseExporter(const toml::table& table) {
    static const std::vector<absl::string_view> kAllowed = {
        "listen", "metrics_path", "memory_limit"};
    for (auto&& [key, node] : table) {
      absl::string_view k = Sv(key.str());
      std::string path = absl::StrCat("exporter.", util::KeyForMessage(k));
      if (k == "listen") {
        ParseListen(node, path);
      } else if (k == "metrics_path") {
        ParseMetricsPath(node, path);
      } else if (k == "memory_limit") {
        ParseMemoryLimit(node, path);
      } else {
        problems_.Add(key.source(), path, UnknownKey(k, kAllowed, ""));
      }
    }
  }

  void ParseListen(const toml::node& node, const std::string& path) {
    const toml::value<std::string>* v = node.as_string();
    if (v == nullptr) {
      Error(node, path, WrongType(node, "a string", kListenAllowed));
      return;
    }
    absl::string_view text = Sv(v->get());
    auto bad = [&](absl::string_view why) {
      Error(node, path,
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
    config_.exporter.listen_address = *address;
    config_.exporter.listen_port = static_cast<uint16_t>(port);
    config_.exporter.listen =
        address->is_v6() ? absl::StrCat("[", address->ToString(), "]:", port)
                         : absl::StrCat(address->ToString(), ":", port);
  }

  void ParseMetricsPath(const toml::node& node, const std::string& path) {
    constexpr char kAllowed[] =
        "an HTTP path starting with '/', without spaces, '?' or '#', e.g. "
        "\"/metrics\"";
    const toml::value<std::string>* v = node.as_string();
    if (v == nullptr) {
      Error(node, path, WrongType(node, "a string", kAllowed));
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
      Error(node, path,
            absl::StrCat(util::QuoteUntrusted(text), " is not a valid path (",
                         kAllowed, ")"));
      return;
    }
    config_.exporter.metrics_path = std::string(text);
  }

  void ParseMemoryLimit(const toml::node& node, const std::string& path) {
    constexpr char kAllowed[] =
        "bytes, or a size such as \"256MiB\", \"1GiB\", \"500MB\"; at least "
        "1MiB";
    std::optional<std::string> text = NumberText(node);
    if (!text || node.is_floating_point()) {
      Error(node, path, WrongType(node, "a string or an integer", kAllowed));
      return;
    }
    absl::StatusOr<uint64_t> bytes = util::ParseByteSize(*text);
    if (!bytes.ok()) {
      Error(node, path, Requote(bytes.status().message(), *text));
      return;
    }
    if (*bytes < (uint64_t{1} << 20)) {
      Error(node, path,
            absl::StrCat(util::QuoteUntrusted(*text), " is too small (",
                         kAllowed, ")"));
      return;
    }
    config_.exporter.memory_limit_bytes = *bytes;
    memory_limit_node_ = &node;
  }

  // Every receiver's statistics can be driven to their worst case by
  // forged sender ids: the sum must fit the memory limit. Reported at the
  // first receiver that crosses it, on the key that sizes it.
  void CheckMemory() {
    const uint64_t limit = config_.exporter.memory_limit_bytes;
    const std::string limit_text =
        absl::StrCat("exporter.memory_limit ", util::FormatByteSize(limit),
                     memory_limit_node_ != nullptr ? "" : " (the default)");
    uint64_t total = 0;
    for (size_t i = 0; i < config_.receivers.size(); ++i) {
      const ReceiverConfig& r = config_.receivers[i];
      const ReceiverSite& site = receiver_sites_[i];
      const stats::ReceiverStatsOptions o = r.stats_options();
      const uint64_t need = stats::ReceiverStats::WorstCaseBytes(o);
      total += need;
      if (total <= limit) continue;
      std::string what = absl::StrCat(
          r.max_senders, " sender runs with reorder_packets ",
          r.reorder_packets, " need up to ", util::FormatByteSize(need), " (",
          util::FormatByteSize(stats::ReceiverStats::RunBytes(o.sequence)),
          " per run)");
      if (i > 0) {
        absl::StrAppend(&what, "; with the receivers before it ",
                        util::FormatByteSize(total));
      }
      absl::StrAppend(&what, ", over ", limit_text,
                      " (lower max_senders or reorder_packets, or raise "
                      "exporter.memory_limit)");
      Error(*site.at, absl::StrCat(site.path, ".max_senders"), what);
      return;
    }
  }

  void ParseProbes(const toml::node& node, TableKind kind) {
    const char* key = kind == TableKind::kSender ? "sender" : "receiver";
    const toml::array* array = node.as_array();
    if (array == nullptr) {
      Error(node, key,
            WrongType(node, "an array of tables",
                      absl::StrCat("write each probe as [[", key, "]]")));
      return;
    }
    for (size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      std::string path = absl::StrCat(key, "[", i, "]");
      const toml::table* table = element.as_table();
      if (table == nullptr) {
        Error(element, path,
              WrongType(element, "a table",
                        absl::StrCat("write each probe as [[", key, "]]")));
        continue;
      }
      ProbeFields fields = ParseProbeTable(*table, kind, path);
      if (kind == TableKind::kSender) {
        ResolveSender(fields, path);
      } else {
        ResolveReceiver(fields, path);
      }
    }
  }

  ProbeFields ParseProbeTable(const toml::table& table, TableKind kind,
                              const std::string& prefix) {
    std::vector<absl::string_view> allowed;
    for (const KeySpec& spec : kProbeKeys) {
      if (AllowedIn(spec, kind)) allowed.push_back(spec.name);
    }
    ProbeFields f;
    f.table = &table;
    for (auto&& [key, node] : table) {
      absl::string_view k = Sv(key.str());
      std::string path = absl::StrCat(prefix, ".", util::KeyForMessage(k));
      const KeySpec* spec = nullptr;
      for (const KeySpec& s : kProbeKeys) {
        if (k == s.name) spec = &s;
      }
      if (spec == nullptr || !AllowedIn(*spec, kind)) {
        std::string hint;
        if (spec != nullptr && kind == TableKind::kDefaults) {
          hint = absl::StrCat(k, " is set in each probe, not in [defaults]");
        } else if (spec != nullptr && kind == TableKind::kSender) {
          hint = absl::StrCat(k, " is a receiver setting");
        } else if (spec != nullptr) {
          hint = absl::StrCat(k, " is a sender setting");
        }
        problems_.Add(key.source(), path, UnknownKey(k, allowed, hint));
        continue;
      }
      ParseProbeKey(k, node, path, &f);
    }
    return f;
  }

  void ParseProbeKey(absl::string_view k, const toml::node& node,
                     const std::string& path, ProbeFields* f) {
    if (k == "name") {
      Set(&f->name, node, ParseName(node, path));
    } else if (k == "group") {
      Set(&f->group, node, ParseGroup(node, path));
    } else if (k == "source") {
      Set(&f->source, node, ParseSource(node, path));
    } else if (k == "interface") {
      Set(&f->interface, node, ParseInterface(node, path));
    } else if (k == "port") {
      Set(&f->port, node, ParseInt(node, path, 1, 65535, ""));
    } else if (k == "ttl") {
      Set(&f->ttl, node, ParseInt(node, path, 0, 255, ""));
    } else if (k == "dscp") {
      Set(&f->dscp, node, ParseDscpNode(node, path));
    } else if (k == "rate") {
      Set(&f->rate, node, ParseRateNode(node, path));
    } else if (k == "size") {
      Set(&f->size, node, ParseInt(node, path, kMinSize, kMaxSize, " bytes"));
    } else if (k == "clock") {
      Set(&f->clock, node, ParseClock(node, path));
    } else if (k == "loopback") {
      Set(&f->loopback, node, ParseBool(node, path));
    } else if (k == "igmp_version") {
      Set(&f->igmp_version, node, ParseInt(node, path, 1, 3, ""));
    } else if (k == "stall_timeout") {
      Set(&f->stall_timeout, node, ParseDurationNode(node, path));
    } else if (k == "reorder_window") {
      Set(&f->reorder_window, node, ParseDurationNode(node, path));
    } else if (k == "reorder_packets") {
      Set(&f->reorder_packets, node,
          ParseInt(node, path, 1, kMaxReorderPackets, ""));
    } else if (k == "max_senders") {
      Set(&f->max_senders, node, ParseInt(node, path, 1, kMaxMaxSenders, ""));
    } else if (k == "sender_expiry") {
      Set(&f->sender_expiry, node, ParseDurationNode(node, path));
    }
  }

  template <typename T>
  static void Set(Field<T>* field, const toml::node& node,
                  std::optional<T> value) {
    field->node = &node;
    field->invalid = !value.has_value();
    field->value = std::move(value);
  }

  // --- Scalar parsers: each reports its own error and returns nullopt. ---

  std::optional<std::string> ParseString(const toml::node& node,
                                         const std::string& path,
                                         absl::string_view allowed) {
    const toml::value<std::string>* v = node.as_string();
    if (v == nullptr) {
      Error(node, path, WrongType(node, "a string", allowed));
      return std::nullopt;
    }
    return std::string(v->get());
  }

  std::optional<int> ParseInt(const toml::node& node, const std::string& path,
                              int min, int max, absl::string_view unit) {
    std::string allowed = absl::StrCat(min, " to ", max, unit);
    if (max - min == 2) allowed = absl::StrCat(min, ", ", min + 1, " or ", max);
    const toml::value<int64_t>* v = node.as_integer();
    if (v == nullptr) {
      Error(node, path, WrongType(node, "an integer", allowed));
      return std::nullopt;
    }
    int64_t value = v->get();
    if (value < min || value > max) {
      Error(node, path,
            absl::StrCat(value, " is out of range (", allowed, ")"));
      return std::nullopt;
    }
    return static_cast<int>(value);
  }

  std::optional<bool> ParseBool(const toml::node& node,
                                const std::string& path) {
    const toml::value<bool>* v = node.as_boolean();
    if (v == nullptr) {
      Error(node, path, WrongType(node, "a boolean", "true or false"));
      return std::nullopt;
    }
    return v->get();
  }

  std::optional<std::string> ParseName(const toml::node& node,
                                       const std::string& path) {
    std::optional<std::string> name = ParseString(node, path, kNameAllowed);
    if (!name) return std::nullopt;
    bool ok = !name->empty() && name->size() <= kMaxNameLength;
    for (char c : *name) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
          c != '-' && c != '.') {
        ok = false;
      }
    }
    if (!ok) {
      Error(node, path,
            absl::StrCat(util::QuoteUntrusted(*name),
                         " is not a valid probe name (", kNameAllowed, ")"));
      return std::nullopt;
    }
    return name;
  }

  std::optional<std::string> ParseInterface(const toml::node& node,
                                            const std::string& path) {
    std::optional<std::string> name =
        ParseString(node, path, kInterfaceAllowed);
    if (!name) return std::nullopt;
    // The kernel's own rule (dev_valid_name): an alias such as "eth0:1"
    // names an address, not a device, and cannot be joined on.
    bool ok = !name->empty() && name->size() <= kMaxInterfaceName &&
              *name != "." && *name != "..";
    for (char c : *name) {
      if (c == '/' || c == ':' ||
          absl::ascii_isspace(static_cast<unsigned char>(c)) ||
          absl::ascii_iscntrl(static_cast<unsigned char>(c))) {
        ok = false;
      }
    }
    if (!ok) {
      Error(node, path,
            absl::StrCat(util::QuoteUntrusted(*name),
                         " is not a valid interface name (", kInterfaceAllowed,
                         ")"));
      return std::nullopt;
    }
    return name;
  }

  std::optional<inet::IpAddress> ParseV4(const toml::node& node,
                                         const std::string& path,
                                         absl::string_view allowed) {
    std::optional<std::string> text = ParseString(node, path, allowed);
    if (!text) return std::nullopt;
    auto address = inet::IpAddress::Parse(*text);
    if (!address.ok()) {
      Error(node, path,
            absl::StrCat(Requote(address.status().message(), *text), " (",
                         allowed, ")"));
      return std::nullopt;
    }
    if (!address->is_v4()) {
      Error(node, path,
            // inet_pton accepted it: hex digits, ':' and '.' only.
            absl::StrCat(*text, " is an IPv6 address (", allowed,
                         "; IPv6 probes are not supported yet)"));
      return std::nullopt;
    }
    return *address;
  }

  std::optional<inet::IpAddress> ParseGroup(const toml::node& node,
                                            const std::string& path) {
    std::optional<inet::IpAddress> group = ParseV4(node, path, kGroupAllowed);
    if (!group) return std::nullopt;
    std::string text = group->ToString();
    if (!group->is_multicast()) {
      Error(node, path,
            absl::StrCat(text, " is not a multicast address (", kGroupAllowed,
                         ", in 224.0.0.0/4)"));
      return std::nullopt;
    }
    // 224.0.0.0/24 carries IGMP, OSPF, PIM and friends: routers never
    // forward it and probes there would mingle with control traffic.
    if (absl::StartsWith(text, "224.0.0.")) {
      Error(node, path,
            absl::StrCat(text,
                         " is in 224.0.0.0/24, reserved for link-local "
                         "control protocols (",
                         kGroupAllowed, ", outside 224.0.0.0/24)"));
      return std::nullopt;
    }
    return group;
  }

  std::optional<inet::IpAddress> ParseSource(const toml::node& node,
                                             const std::string& path) {
    std::optional<inet::IpAddress> source = ParseV4(node, path, kSourceAllowed);
    if (!source) return std::nullopt;
    std::string text = source->ToString();
    if (source->is_multicast() || text == "0.0.0.0" ||
        text == "255.255.255.255") {
      Error(node, path,
            absl::StrCat(text, " is not a unicast address (", kSourceAllowed,
                         ")"));
      return std::nullopt;
    }
    return source;
  }

  // Numbers in TOML are handed to the same text parsers as strings, so a
  // bare number means the same in the file as on the command line.
  static std::optional<std::string> NumberText(const toml::node& node) {
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

  std::optional<absl::Duration> ParseDurationNode(const toml::node& node,
                                                  const std::string& path) {
    std::optional<std::string> text = NumberText(node);
    if (!text) {
      Error(node, path,
            WrongType(node, "a string or a number", kDurationAllowed));
      return std::nullopt;
    }
    absl::StatusOr<absl::Duration> d = util::ParseDuration(*text);
    if (!d.ok()) {
      Error(node, path, Requote(d.status().message(), *text));
      return std::nullopt;
    }
    if (*d <= absl::ZeroDuration()) {
      Error(node, path,
            absl::StrCat(util::QuoteUntrusted(*text),
                         " is not greater than zero (", kDurationAllowed, ")"));
      return std::nullopt;
    }
    return *d;
  }

  std::optional<util::Rate> ParseRateNode(const toml::node& node,
                                          const std::string& path) {
    std::optional<std::string> text = NumberText(node);
    if (!text) {
      Error(node, path, WrongType(node, "a string or a number", kRateAllowed));
      return std::nullopt;
    }
    absl::StatusOr<util::Rate> rate = util::ParseRate(*text);
    if (!rate.ok()) {
      Error(node, path, Requote(rate.status().message(), *text));
      return std::nullopt;
    }
    return *rate;
  }

  std::optional<int> ParseDscpNode(const toml::node& node,
                                   const std::string& path) {
    std::optional<std::string> text;
    if (node.is_string() || node.is_integer()) text = NumberText(node);
    if (!text) {
      Error(node, path,
            WrongType(node, "a string or an integer", kDscpAllowed));
      return std::nullopt;
    }
    absl::StatusOr<int> dscp = util::ParseDscp(*text);
    if (!dscp.ok()) {
      Error(node, path, Requote(dscp.status().message(), *text));
      return std::nullopt;
    }
    return *dscp;
  }

  std::optional<SenderClock> ParseClock(const toml::node& node,
                                        const std::string& path) {
    std::optional<std::string> text = ParseString(node, path, kClockAllowed);
    if (!text) return std::nullopt;
    if (*text == "monotonic") return SenderClock::kMonotonic;
    if (*text == "realtime") return SenderClock::kRealtime;
    Error(node, path,
          absl::StrCat(util::QuoteUntrusted(*text), " is not a clock (",
                       kClockAllowed, ")"));
    return std::nullopt;
  }

  // --- Resolution: defaults applied, cross-key checks, duplicates. ---

  void Missing(const ProbeFields& f, const std::string& path,
               absl::string_view key, absl::string_view allowed) {
    Error(*f.table, absl::StrCat(path, ".", key),
          absl::StrCat("missing required key (", allowed, ")"));
  }

  void NoteName(const ProbeFields& f, const std::string& path) {
    if (!f.name.value) return;
    names_.push_back({*f.name.value, path, f.name.node});
  }

  // Run after all probes, in file order, so "first used by" really is the
  // first whether senders or receivers come first in the file.
  void CheckNames() {
    std::stable_sort(
        names_.begin(), names_.end(), [](const NameUse& a, const NameUse& b) {
          const toml::source_position& pa = a.node->source().begin;
          const toml::source_position& pb = b.node->source().begin;
          return std::tie(pa.line, pa.column) < std::tie(pb.line, pb.column);
        });
    absl::flat_hash_map<std::string, const NameUse*> first;
    for (const NameUse& use : names_) {
      auto [it, inserted] = first.try_emplace(use.name, &use);
      if (inserted) continue;
      const NameUse& earlier = *it->second;
      const toml::source_position& at = earlier.node->source().begin;
      Error(*use.node, absl::StrCat(use.path, ".name"),
            absl::StrCat("duplicate probe name ",
                         util::QuoteUntrusted(use.name), ", first used by ",
                         earlier.path, " at ", at.line, ":", at.column,
                         " (names are unique across senders and receivers)"));
    }
  }

  void ResolveSender(const ProbeFields& own, const std::string& path) {
    const ProbeFields& d = defaults_;
    if (!own.name.set()) Missing(own, path, "name", kNameAllowed);
    if (!own.group.set()) Missing(own, path, "group", kGroupAllowed);
    NoteName(own, path);

    SenderConfig s;
    s.name = own.name.value.value_or("");
    s.group = own.group.value.value_or(inet::IpAddress());
    s.source = own.source.value.value_or(inet::IpAddress());
    s.port =
        static_cast<uint16_t>(Inherit(own.port, d.port).value.value_or(s.port));
    s.interface = Inherit(own.interface, d.interface).value.value_or("");
    s.ttl = Inherit(own.ttl, d.ttl).value.value_or(s.ttl);
    s.dscp = Inherit(own.dscp, d.dscp).value.value_or(s.dscp);
    s.size = Inherit(own.size, d.size).value.value_or(s.size);
    s.clock = Inherit(own.clock, d.clock).value.value_or(s.clock);
    s.loopback = Inherit(own.loopback, d.loopback).value.value_or(s.loopback);

    const Field<util::Rate>& rate = Inherit(own.rate, d.rate);
    const Field<int>& size = Inherit(own.size, d.size);
    util::Rate r = rate.value.value_or(
        util::Rate{util::Rate::Unit::kPacketsPerSecond, s.packets_per_second});
    s.rate = r.ToString();
    s.packets_per_second = r.PacketsPerSecond(static_cast<size_t>(s.size));
    if (!rate.invalid && !size.invalid &&
        (s.packets_per_second < kMinPacketsPerSecond ||
         s.packets_per_second > kMaxPacketsPerSecond)) {
      const toml::node& at = own.rate.set()   ? *own.rate.node
                             : own.size.set() ? *own.size.node
                                              : *own.table;
      Error(at, absl::StrCat(path, ".rate"),
            absl::StrCat(
                s.rate, " with ", s.size, "-byte datagrams is ",
                FormatPps(s.packets_per_second), " packets per second (",
                FormatPps(kMinPacketsPerSecond), " to ",
                FormatPps(kMaxPacketsPerSecond), " packets per second)"));
    }
    config_.senders.push_back(std::move(s));
  }

  void ResolveReceiver(const ProbeFields& own, const std::string& path) {
    const ProbeFields& d = defaults_;
    if (!own.name.set()) Missing(own, path, "name", kNameAllowed);
    if (!own.group.set()) Missing(own, path, "group", kGroupAllowed);
    NoteName(own, path);

    ReceiverConfig r;
    r.name = own.name.value.value_or("");
    r.group = own.group.value.value_or(inet::IpAddress());
    r.source = own.source.value.value_or(inet::IpAddress());
    r.port =
        static_cast<uint16_t>(Inherit(own.port, d.port).value.value_or(r.port));
    r.interface = Inherit(own.interface, d.interface).value.value_or("");
    r.stall_timeout = Inherit(own.stall_timeout, d.stall_timeout)
                          .value.value_or(r.stall_timeout);
    r.reorder_window = Inherit(own.reorder_window, d.reorder_window)
                           .value.value_or(r.reorder_window);
    r.reorder_packets = Inherit(own.reorder_packets, d.reorder_packets)
                            .value.value_or(r.reorder_packets);
    r.max_senders =
        Inherit(own.max_senders, d.max_senders).value.value_or(r.max_senders);
    const Field<absl::Duration>& expiry =
        Inherit(own.sender_expiry, d.sender_expiry);
    r.sender_expiry = expiry.value.value_or(r.sender_expiry);
    // Forgetting a sender before its gaps are decided or before it could
    // be seen stalled would hide what the series are there to show.
    const absl::Duration floor = std::max(r.stall_timeout, r.reorder_window);
    if (!expiry.invalid && r.sender_expiry < floor) {
      const toml::node& at = expiry.set() ? *expiry.node : *own.table;
      Error(at, absl::StrCat(path, ".sender_expiry"),
            absl::StrCat(absl::FormatDuration(r.sender_expiry),
                         expiry.set() ? "" : " (the default)",
                         " is shorter than stall_timeout or reorder_window (",
                         absl::FormatDuration(floor), "): use at least that"));
    }
    const Field<int>& senders = Inherit(own.max_senders, d.max_senders);
    const Field<int>& reorder = Inherit(own.reorder_packets, d.reorder_packets);
    receiver_sites_.push_back({path, senders.set()   ? senders.node
                                     : reorder.set() ? reorder.node
                                                     : own.table});

    const Field<int>& igmp = Inherit(own.igmp_version, d.igmp_version);
    r.igmp_version = igmp.value.value_or(r.igmp_version);
    // An SSM join is an IGMPv3 INCLUDE report: under v1/v2 the host sends a
    // (*,G) report and the network delivers every source.
    if (own.source.value && !igmp.invalid && r.igmp_version < 3) {
      const toml::node& at =
          own.igmp_version.set() ? *own.igmp_version.node : *own.source.node;
      Error(at, absl::StrCat(path, ".igmp_version"),
            absl::StrCat("SSM receiver (source ", r.source.ToString(),
                         ") needs igmp_version 3, got ", r.igmp_version,
                         own.igmp_version.set() ? "" : " from [defaults]"));
    }
    config_.receivers.push_back(std::move(r));
  }

  Problems problems_;
  Config config_;
  ProbeFields defaults_;
  struct NameUse {
    std::string name;
    std::string path;
    const toml::node* node;
  };
  std::vector<NameUse> names_;
  // Per entry of config_.receivers: its path and where its size is set.
  struct ReceiverSite {
    std::string path;
    const toml::node* at;
  };
  std::vector<ReceiverSite> receiver_sites_;
  const toml::node* memory_limit_node_ = nullptr;
};

absl::Status TooLarge(absl::string_view file_name) {
  return absl::InvalidArgumentError(util::SanitizeLine(
      absl::StrCat(file_name, ": larger than ", kMaxFileSize >> 20,
                   " MiB, not an mcast-exporter config"),
      kMaxProblemLine));
}

}  // namespace

absl::StatusOr<Config> ParseConfig(absl::string_view text,
                                   absl::string_view file_name) {
  // Refused before toml++ sees them: input that would exhaust its stack
  // (see toml_nesting_check.h) or its time and memory.
  if (text.size() > kMaxFileSize) return TooLarge(file_name);
  absl::Status nesting = CheckTomlNesting(text, file_name);
  if (!nesting.ok()) return nesting;

  std::string_view doc(text.data(), text.size());
  std::string_view source(file_name.data(), file_name.size());
  try {
    toml::table root = toml::parse(doc, source);
    return Parser(file_name).Run(root);
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

absl::StatusOr<std::string> ReadConfigFile(const std::string& path) {
  const std::string shown = util::SanitizeLine(path, kMaxProblemLine);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return util::ErrnoToStatus(errno, absl::StrCat(shown, ": cannot open"));
  }
  // Read straight into the string: a 64 KiB stack buffer would be a large
  // share of a small thread stack.
  std::string text;
  constexpr size_t kChunk = 65536;
  while (true) {
    const size_t used = text.size();
    text.resize(used + kChunk);
    ssize_t n = read(fd, text.data() + used, kChunk);
    if (n < 0 && errno == EINTR) {
      text.resize(used);
      continue;
    }
    if (n < 0) {
      int err = errno;
      close(fd);
      return util::ErrnoToStatus(err, absl::StrCat(shown, ": cannot read"));
    }
    text.resize(used + static_cast<size_t>(n));
    if (n == 0) break;
    if (text.size() > kMaxFileSize) {
      close(fd);
      return TooLarge(path);
    }
  }
  close(fd);
  return text;
}

absl::StatusOr<Config> LoadConfigFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadConfigFile(path);
  if (!text.ok()) return text.status();
  return ParseConfig(*text, path);
}

}  // namespace mcast::exporter
