#ifndef MCAST_PROBE_LIMITS_H_
#define MCAST_PROBE_LIMITS_H_

// Every limit on a probe spec, in one place, each with the reason it is
// where it is. Both front ends (mcast-send/mcast-receive flags and the
// exporter's TOML) check through probe/spec_check.h, which reads only these.

#include <cstddef>
#include <cstdint>

#include "packet/header.h"
#include "stats/receiver_stats.h"
#include "stats/sequence_tracker.h"

namespace mcast::probe {

// The header carries the packet interval in whole microseconds (uint32):
// above 1M packets/s it would round to 0 ("unknown"); below 0.001 (one
// packet per 1000 s) it nears the field's 71-minute limit and no stall
// timeout makes sense. (mcast-send allowed 10M before the rules were one.)
inline constexpr double kMinPacketsPerSecond = 0.001;
inline constexpr double kMaxPacketsPerSecond = 1e6;

// A datagram holds at least the probe header and at most what one IPv4 UDP
// datagram can carry (65535 - 20 IP - 8 UDP).
inline constexpr int kMinSize = static_cast<int>(packet::kHeaderSize);
inline constexpr int kMaxSize = static_cast<int>(packet::kMaxDatagramSize);

// The IP header's TTL byte.
inline constexpr int kMinTtl = 0;
inline constexpr int kMaxTtl = 255;

// UDP port 0 cannot be sent to nor joined on meaningfully.
inline constexpr int kMinPort = 1;
inline constexpr int kMaxPort = 65535;

// Six bits of the TOS byte (util::ParseDscp enforces it on text).
inline constexpr int kMaxDscp = 63;

// IGMP versions Linux's force_igmp_version knows; an SSM (S,G) join is an
// IGMPv3 INCLUDE report: under v1/v2 the host sends a (*,G) report and the
// network delivers every source.
inline constexpr int kMinIgmpVersion = 1;
inline constexpr int kMaxIgmpVersion = 3;
inline constexpr int kSsmIgmpVersion = 3;

// The sequence tracker decides duplicates in a window of kDuplicateWindow
// sequence numbers and needs reorder_packets below half of it.
inline constexpr int kMinReorderPackets = 1;
inline constexpr int kMaxReorderPackets =
    static_cast<int>(stats::SequenceTracker::kDuplicateWindow / 2 - 1);

// A hard cap; what really bounds max_senders is the memory limit, against
// which a receiver's worst case (every run flooded with forged sender ids)
// is checked (CheckReceiverMemory).
inline constexpr int kMinMaxSenders = 1;
inline constexpr int kMaxMaxSenders = 65536;
inline constexpr uint64_t kDefaultMemoryLimitBytes =
    stats::kDefaultMemoryLimitBytes;

// --- IPv6 groups (the family follows the group) ---
//
// An IPv6 multicast address is ff00::/8, then a flags nibble and a scope
// nibble (RFC 4291 2.7): ffFS:....
//
// Scopes 0 and 15 are reserved: the kernel accepts them, no router or
// switch treats them as anything, so a probe there measures nothing.
inline constexpr int kReservedScopeLow = 0x0;
inline constexpr int kReservedScopeHigh = 0xf;
// Interface-local (1) and link-local (2) groups exist once per link: the
// same address on eth0 and eth1 is two groups, and the routing table's
// ff00::/8 route (one per interface, first wins) picks a link by accident.
// Such a group needs the interface named, for the sender's
// IPV6_MULTICAST_IF and the receiver's join alike. (IPv4 has no such rule:
// its link-local block 224.0.0.0/24 is refused as a whole.)
inline constexpr int kMaxInterfaceScope = 0x2;
// Flags: T (0x1) transient, P (0x2) unicast-prefix-based, R (0x4)
// embedded RP. RFC 3306 4: P=1 needs T=1; RFC 3956 3: R=1 needs P=1.
// A prefix-based group's prefix length (its fourth byte) is at most 64
// (RFC 3306 4); 0 with a zero prefix is the SSM range ff3x::/32 (RFC 4607
// 1), where only (S,G) joins are served by routers (ASM joins still work
// on a link without routers, as 232.0.0.0/8 does for IPv4, so they are not
// refused).
inline constexpr int kFlagTransient = 0x1;
inline constexpr int kFlagPrefix = 0x2;
inline constexpr int kFlagEmbeddedRp = 0x4;
inline constexpr int kMaxPrefixLength = 64;
// Permanent (T=0) group ids that are not probe groups in any scope
// (RFC 4291 2.7, 2.7.1): 0 is reserved and never assigned, 1 is all-nodes
// (every host is always a member: joining means nothing and sending reaches
// every node on the link), 2 is all-routers. In ff02::/16 also ff02::16
// (where every MLDv2 report goes) and the solicited-node block
// ff02::1:ff00:0/104 (neighbour discovery: every host joins one per
// address, so a probe there lands on unrelated hosts' NDP path).
inline constexpr uint16_t kReservedGroupIds[] = {0x0, 0x1, 0x2};
inline constexpr uint16_t kMldv2ReportsGroupId = 0x16;

// IFNAMSIZ - 1: the kernel's dev_valid_name() rule (see CheckInterfaceName).
inline constexpr size_t kMaxInterfaceName = 15;

}  // namespace mcast::probe

#endif  // MCAST_PROBE_LIMITS_H_
