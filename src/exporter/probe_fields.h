#ifndef MCAST_EXPORTER_PROBE_FIELDS_H_
#define MCAST_EXPORTER_PROBE_FIELDS_H_

// A probe table as read, before [defaults] are applied: for every key where
// it was written and, when valid, its value. The resolver
// (probe_table_resolver.h) combines a probe's fields with those of
// [defaults] into a SenderConfig or ReceiverConfig.

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "inet/ip_address.h"
#include "probe/sender_spec.h"
#include "streams/decode_spec.h"
#include "util/rate.h"

namespace mcast::exporter {

inline constexpr char kNameAllowed[] =
    "1-64 letters, digits, '_', '-' or '.', e.g. \"feed-a\"";

// `invalid` marks a value already reported, so checks that combine
// settings (rate with size, SSM with igmp_version) stay quiet instead of
// reporting a consequence of the same mistake.
template <typename T>
struct Field {
  const toml::node* node = nullptr;
  std::optional<T> value;
  bool invalid = false;

  bool set() const { return node != nullptr; }
};

// Records where a key was written and its value (nullopt: already
// reported, the field is invalid).
template <typename T>
void SetField(Field<T>* field, const toml::node& node, std::optional<T> value) {
  field->node = &node;
  field->invalid = !value.has_value();
  field->value = std::move(value);
}

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
  Field<probe::SenderClock> clock;
  Field<bool> loopback;
  Field<int> igmp_version;
  Field<int> mld_version;
  Field<absl::Duration> stall_timeout;
  Field<absl::Duration> reorder_window;
  Field<int> reorder_packets;
  Field<int> max_senders;
  Field<absl::Duration> sender_expiry;
  Field<absl::Duration> rejoin_interval;
  Field<streams::DecodeSpec> decode;  // rtp_clock_rate left at its default.
  Field<int> rtp_clock_rate;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_PROBE_FIELDS_H_
