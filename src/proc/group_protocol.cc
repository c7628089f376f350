#include "proc/group_protocol.h"

namespace mcast::proc {

absl::string_view GroupProtocolName(GroupProtocol protocol) {
  return protocol == GroupProtocol::kMld ? "MLD" : "IGMP";
}

int MaxGroupProtocolVersion(GroupProtocol protocol) {
  return protocol == GroupProtocol::kMld ? 2 : 3;
}

absl::string_view ForceVersionSysctlName(GroupProtocol protocol) {
  return protocol == GroupProtocol::kMld ? "force_mld_version"
                                         : "force_igmp_version";
}

absl::string_view ForceVersionSysctlFamily(GroupProtocol protocol) {
  return protocol == GroupProtocol::kMld ? "ipv6" : "ipv4";
}

}  // namespace mcast::proc
