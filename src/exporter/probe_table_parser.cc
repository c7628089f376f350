#include "exporter/probe_table_parser.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "exporter/toml_values.h"
#include "probe/decode_spec_parser.h"
#include "probe/limits.h"
#include "probe/spec_check.h"
#include "util/message_text.h"

namespace mcast::exporter {
namespace {

constexpr size_t kMaxNameLength = 64;

absl::StatusOr<std::string> CheckName(absl::string_view name) {
  return CheckConfigName(name, kMaxNameLength, "probe name", kNameAllowed);
}

std::optional<int> Int(TomlProblems& p, const toml::node& node,
                       const std::string& path, int min, int max,
                       absl::string_view unit,
                       absl::StatusOr<int> (*check)(int64_t)) {
  return IntValue(p, node, path, probe::RangeAllowed(min, max, unit), check);
}

// rejoin_interval: a positive duration, checked once a second.
absl::StatusOr<absl::Duration> ParseRejoinInterval(absl::string_view text) {
  absl::StatusOr<absl::Duration> d = probe::ParsePositiveDuration(text);
  if (d.ok() && *d < absl::Seconds(1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        absl::FormatDuration(*d),
        " is shorter than 1s (the exporter checks once a second)"));
  }
  return d;
}

// The CLI's --rtp-clock-rate check, as IntValue wants it (10 MHz fits).
absl::StatusOr<int> CheckClockRate(int64_t hz) {
  absl::StatusOr<uint32_t> rate = probe::CheckRtpClockRate(hz);
  if (!rate.ok()) return rate.status();
  return static_cast<int>(*rate);
}

}  // namespace

// The config's own names (label values): no rule shared with the CLI.
absl::StatusOr<std::string> CheckConfigName(absl::string_view name,
                                            size_t max_length,
                                            absl::string_view what,
                                            absl::string_view allowed) {
  bool ok = !name.empty() && name.size() <= max_length;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-' && c != '.') {
      ok = false;
    }
  }
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(util::QuoteUntrusted(name),
                                                   " is not a valid ", what,
                                                   " (", allowed, ")"));
  }
  return std::string(name);
}

absl::StatusOr<std::string> CheckInterfaceValue(absl::string_view name) {
  absl::Status status = probe::CheckInterfaceName(name);
  if (!status.ok()) return status;
  return std::string(name);
}

void ParseProbeValue(absl::string_view k, const toml::node& node,
                     const std::string& path, TomlProblems& p, ProbeFields* f) {
  namespace pr = probe;
  constexpr char kNumber[] = "a string or a number";
  if (k == "name") {
    SetField(&f->name, node,
             StringThrough(p, node, path, kNameAllowed, &CheckName));
  } else if (k == "group") {
    SetField(&f->group, node,
             StringThrough(p, node, path, pr::kGroupAllowed, &pr::ParseGroup));
  } else if (k == "source") {
    SetField(
        &f->source, node,
        StringThrough(p, node, path, pr::kSourceAllowed, &pr::ParseSource));
  } else if (k == "interface") {
    SetField(&f->interface, node,
             StringThrough(p, node, path, pr::kInterfaceAllowed,
                           &CheckInterfaceValue));
  } else if (k == "port") {
    SetField(
        &f->port, node,
        Int(p, node, path, pr::kMinPort, pr::kMaxPort, "", &pr::CheckPort));
  } else if (k == "ttl") {
    SetField(&f->ttl, node,
             Int(p, node, path, pr::kMinTtl, pr::kMaxTtl, "", &pr::CheckTtl));
  } else if (k == "dscp") {
    SetField(
        &f->dscp, node,
        TextThrough(p, node, path, "a string or an integer", pr::kDscpAllowed,
                    /*integers_only=*/true, &pr::ParseDscp));
  } else if (k == "rate") {
    SetField(&f->rate, node,
             TextThrough(p, node, path, kNumber, pr::kRateAllowed, false,
                         &pr::ParseRate));
  } else if (k == "size") {
    SetField(&f->size, node,
             Int(p, node, path, pr::kMinSize, pr::kMaxSize, " bytes",
                 &pr::CheckSize));
  } else if (k == "clock") {
    SetField(&f->clock, node,
             StringThrough(p, node, path, pr::kClockAllowed, &pr::ParseClock));
  } else if (k == "loopback") {
    SetField(&f->loopback, node, BoolValue(p, node, path));
  } else if (k == "igmp_version") {
    SetField(&f->igmp_version, node,
             Int(p, node, path, pr::kMinIgmpVersion, pr::kMaxIgmpVersion, "",
                 &pr::CheckIgmpVersion));
  } else if (k == "mld_version") {
    SetField(&f->mld_version, node,
             Int(p, node, path, pr::kMinMldVersion, pr::kMaxMldVersion, "",
                 &pr::CheckMldVersion));
  } else if (k == "stall_timeout" || k == "reorder_window" ||
             k == "sender_expiry") {
    Field<absl::Duration>* field = k == "stall_timeout"    ? &f->stall_timeout
                                   : k == "reorder_window" ? &f->reorder_window
                                                           : &f->sender_expiry;
    SetField(field, node,
             TextThrough(p, node, path, kNumber, pr::kDurationAllowed, false,
                         &pr::ParsePositiveDuration));
  } else if (k == "rejoin_interval") {
    // The exporter checks it once a second: at least that.
    SetField(&f->rejoin_interval, node,
             TextThrough(p, node, path, kNumber, pr::kDurationAllowed, false,
                         &ParseRejoinInterval));
  } else if (k == "reorder_packets") {
    SetField(&f->reorder_packets, node,
             Int(p, node, path, pr::kMinReorderPackets, pr::kMaxReorderPackets,
                 "", &pr::CheckReorderPackets));
  } else if (k == "decode") {
    SetField(
        &f->decode, node,
        StringThrough(p, node, path, pr::kDecodeAllowed, &pr::ParseDecodeSpec));
  } else if (k == "rtp_clock_rate") {
    SetField(
        &f->rtp_clock_rate, node,
        Int(p, node, path, static_cast<int>(pr::kMinRtpClockRate),
            static_cast<int>(pr::kMaxRtpClockRate), " Hz", &CheckClockRate));
  } else if (k == "max_senders") {
    SetField(&f->max_senders, node,
             Int(p, node, path, pr::kMinMaxSenders, pr::kMaxMaxSenders, "",
                 &pr::CheckMaxSenders));
  }
}

ProbeFields ParseProbeTable(const toml::table& table, TableKind kind,
                            const std::string& prefix, TomlProblems& problems) {
  const std::vector<absl::string_view> allowed = AllowedKeys(kind);
  ProbeFields f;
  f.table = &table;
  for (auto&& [key, node] : table) {
    absl::string_view k = Sv(key.str());
    std::string path = absl::StrCat(prefix, ".", util::KeyForMessage(k));
    const ProbeKey* spec = FindProbeKey(k);
    if (spec == nullptr || !AllowedIn(*spec, kind)) {
      std::string hint;
      if (spec != nullptr && kind == TableKind::kDefaults) {
        hint = absl::StrCat(k, " is set in each probe, not in [defaults]");
      } else if (spec != nullptr && kind == TableKind::kSender) {
        hint = absl::StrCat(k, " is a receiver setting");
      } else if (spec != nullptr) {
        hint = absl::StrCat(k, " is a sender setting");
      }
      Report(problems, key.source().begin, path, UnknownKey(k, allowed, hint));
      continue;
    }
    ParseProbeValue(k, node, path, problems, &f);
  }
  return f;
}

}  // namespace mcast::exporter
