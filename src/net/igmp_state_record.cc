#include "net/igmp_state_record.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace mcast::net {
namespace {

constexpr int64_t kPidMax = 4194304;  // PID_MAX_LIMIT on 64-bit Linux.
constexpr size_t kMaxShownValue = 40;

// Values from the file go into error messages: escaped and cut, so a
// hostile file cannot flood or forge log lines.
std::string Shown(absl::string_view value) {
  std::string s = absl::CHexEscape(value.substr(0, kMaxShownValue));
  if (value.size() > kMaxShownValue) absl::StrAppend(&s, "...");
  return s;
}

absl::Status LineError(int line, absl::string_view what,
                       absl::string_view value) {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", line, ": ", what, " (got '", Shown(value), "')"));
}

// Plain decimal digits only: SimpleAtoi would also take "+5" and spaces.
bool ParseUnsigned(absl::string_view text, uint64_t max, uint64_t* out) {
  if (text.empty() || text.size() > 20) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  uint64_t v = 0;
  if (!absl::SimpleAtoi(text, &v) || v > max) return false;
  *out = v;
  return true;
}

bool ParseVersion(absl::string_view text, int* out) {
  uint64_t v = 0;
  if (!ParseUnsigned(text, 3, &v)) return false;
  *out = static_cast<int>(v);
  return true;
}

}  // namespace

bool IsPlausibleInterfaceName(absl::string_view name) {
  if (name.empty() || name.size() > 15 || name == "." || name == "..") {
    return false;
  }
  for (char c : name) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '/' || c == ':') return false;
  }
  return true;
}

absl::StatusOr<IgmpStateRecord> ParseIgmpStateRecord(absl::string_view text) {
  if (text.size() > kMaxIgmpStateFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("state file of ", text.size(), " bytes (at most ",
                     kMaxIgmpStateFileBytes, ")"));
  }
  if (text.empty() || text.back() != '\n') {
    return absl::InvalidArgumentError(
        "state file does not end with a newline (cut short?)");
  }
  text.remove_suffix(1);
  IgmpStateRecord r;
  bool format = false, netns = false, ifindex = false, interface = false,
       original = false, applied = false, protocol = false;
  int n = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++n;
    if (!line.empty() && line.front() == '#') continue;
    std::vector<absl::string_view> f = absl::StrSplit(line, ' ');
    const absl::string_view key = f[0];
    auto once = [&](bool* seen) -> absl::Status {
      if (*seen) return LineError(n, "repeated key", key);
      *seen = true;
      if (key != "holder" && f.size() != 2) {
        return LineError(n, absl::StrCat("expected '", key, " VALUE'"), line);
      }
      return absl::OkStatus();
    };
    absl::Status s;
    uint64_t v = 0;
    if (key == "format") {
      if (s = once(&format); !s.ok()) return s;
      if (f[1] != "1") return LineError(n, "unknown format", f[1]);
    } else if (key == "protocol") {
      // Only MLD records carry it (IGMP records stay as they always were).
      if (s = once(&protocol); !s.ok()) return s;
      if (f[1] != "mld") return LineError(n, "unknown protocol", f[1]);
      r.protocol = proc::GroupProtocol::kMld;
    } else if (key == "netns") {
      if (s = once(&netns); !s.ok()) return s;
      if (!ParseUnsigned(f[1], UINT64_MAX, &r.netns) || r.netns == 0) {
        return LineError(n, "bad netns", f[1]);
      }
    } else if (key == "ifindex") {
      if (s = once(&ifindex); !s.ok()) return s;
      if (!ParseUnsigned(f[1], INT32_MAX, &v) || v == 0) {
        return LineError(n, "bad ifindex", f[1]);
      }
      r.ifindex = static_cast<int>(v);
    } else if (key == "interface") {
      if (s = once(&interface); !s.ok()) return s;
      if (!IsPlausibleInterfaceName(f[1])) {
        return LineError(n, "bad interface name", f[1]);
      }
      r.interface = std::string(f[1]);
    } else if (key == "original") {
      if (s = once(&original); !s.ok()) return s;
      if (!ParseVersion(f[1], &r.original)) {
        return LineError(n, "bad original version", f[1]);
      }
    } else if (key == "applied") {
      if (s = once(&applied); !s.ok()) return s;
      if (!ParseVersion(f[1], &r.applied)) {
        return LineError(n, "bad applied version", f[1]);
      }
    } else if (key == "holder") {
      if (f.size() != 5) {
        return LineError(n, "expected 'holder PID START FORCED SERIAL'", line);
      }
      if (r.holders.size() >= kMaxIgmpStateHolders) {
        return LineError(
            n, absl::StrCat("more than ", kMaxIgmpStateHolders, " holders"),
            line);
      }
      IgmpStateHolder h;
      uint64_t pid = 0;
      if (!ParseUnsigned(f[1], kPidMax, &pid) || pid == 0 ||
          !ParseUnsigned(f[2], UINT64_MAX, &h.start_time) ||
          !ParseVersion(f[3], &h.forced) ||
          !ParseUnsigned(f[4], UINT64_MAX, &h.serial)) {
        return LineError(n, "bad holder", line);
      }
      h.pid = static_cast<int64_t>(pid);
      r.holders.push_back(h);
    } else {
      return LineError(n, "unknown key", key);
    }
  }
  if (!format || !netns || !ifindex || !interface || !original || !applied) {
    return absl::InvalidArgumentError(
        "state file lacks one of format, netns, ifindex, interface, "
        "original, applied");
  }
  if (r.protocol == proc::GroupProtocol::kMld) {
    bool in_range = r.original <= 2 && r.applied <= 2;
    for (const IgmpStateHolder& h : r.holders) in_range &= h.forced <= 2;
    if (!in_range) {
      return absl::InvalidArgumentError(
          "MLD state file with a version above 2");
    }
  }
  return r;
}

std::string FormatIgmpStateRecord(const IgmpStateRecord& r) {
  const bool mld = r.protocol == proc::GroupProtocol::kMld;
  std::string s = absl::StrCat(
      "# mcast-tools: ", proc::ForceVersionSysctlName(r.protocol),
      " held by these processes\n", "format 1\n", mld ? "protocol mld\n" : "",
      "netns ", r.netns, "\nifindex ", r.ifindex, "\ninterface ", r.interface,
      "\noriginal ", r.original, "\napplied ", r.applied, "\n");
  for (const IgmpStateHolder& h : r.holders) {
    absl::StrAppend(&s, "holder ", h.pid, " ", h.start_time, " ", h.forced, " ",
                    h.serial, "\n");
  }
  return s;
}

std::string IgmpStateFilePrefix(uint64_t netns, proc::GroupProtocol protocol) {
  return absl::StrCat(protocol == proc::GroupProtocol::kMld ? "mld-" : "igmp-",
                      netns, "-");
}

std::string IgmpStateFileName(uint64_t netns, int ifindex,
                              absl::string_view interface,
                              proc::GroupProtocol protocol) {
  std::string name =
      absl::StrCat(IgmpStateFilePrefix(netns, protocol), ifindex, "-");
  for (char c : interface) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       (c >= '0' && c <= '9') || c == '.' || c == '_';
    if (plain) {
      name.push_back(c);
    } else {
      absl::StrAppendFormat(&name, "%%%02X", static_cast<unsigned char>(c));
    }
  }
  return name;
}

}  // namespace mcast::net
