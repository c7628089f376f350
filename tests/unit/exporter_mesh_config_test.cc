// [[mesh]] tables (issue 17): parse errors with file:line:col and key,
// self-detection by address or --mesh-member, and the flows they expand
// into (ASM and SSM), against exact expected configs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "exporter/config.h"
#include "exporter/config_loader.h"
#include "exporter/fd_budget.h"
#include "exporter/mesh_host.h"
#include "exporter/mesh_table_resolver.h"
#include "inet/ip_address.h"
#include "probe/receiver_spec.h"

namespace mcast::exporter {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

inet::IpAddress Ip(const char* text) { return *inet::IpAddress::Parse(text); }

MeshHost HostWith(std::vector<const char*> addresses, std::string member = "") {
  MeshHost h;
  for (const char* a : addresses) h.addresses.push_back(Ip(a));
  h.member = std::move(member);
  return h;
}

constexpr char kStudios[] = R"([defaults]
interface = "eth9"
[[mesh]]
name = "studios"
group = "239.77.0.1"
port = 19780
rate = "10pps"
[[mesh.member]]
name = "studio-a"
address = "10.77.0.1"
[[mesh.member]]
name = "studio-b"
address = "10.77.0.2"
interface = "veth-b"
[[mesh.member]]
name = "studio-c"
address = "10.77.0.3"
)";

std::string Errors(const std::string& text, const MeshHost& host) {
  absl::StatusOr<Config> c = ParseConfig(text, "m.toml", host);
  return c.ok() ? "OK" : std::string(c.status().message());
}

TEST(MeshConfigTest, AsmExpandsIntoOneSenderAndOneReceiverOfThePeers) {
  absl::StatusOr<Config> c =
      ParseConfig(kStudios, "m.toml", HostWith({"127.0.0.1", "10.77.0.1"}));
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->meshes.size(), 1u);
  const MeshConfig& m = c->meshes[0];
  EXPECT_EQ(m.name, "studios");
  EXPECT_FALSE(m.ssm);  // 239/8: ASM by default.
  EXPECT_EQ(m.port, 19780);
  EXPECT_EQ(m.self, 0u);
  EXPECT_FALSE(m.self_by_flag);
  ASSERT_EQ(m.members.size(), 3u);
  EXPECT_EQ(m.members[1].interface, "veth-b");

  ASSERT_EQ(c->senders.size(), 1u);
  const SenderConfig& s = c->senders[0];
  EXPECT_EQ(s.name, "studios");
  EXPECT_EQ(s.group, Ip("239.77.0.1"));
  EXPECT_EQ(s.port, 19780);
  EXPECT_EQ(s.source, Ip("10.77.0.1"));
  EXPECT_EQ(s.interface, "eth9");  // [defaults]: studio-a has none.
  EXPECT_FALSE(s.loopback);
  EXPECT_DOUBLE_EQ(s.packets_per_second, 10);
  EXPECT_EQ(s.mesh.mesh, "studios");
  EXPECT_EQ(s.mesh.member, "studio-a");
  EXPECT_TRUE(s.mesh.peers.empty());

  ASSERT_EQ(c->receivers.size(), 1u);
  const ReceiverConfig& r = c->receivers[0];
  EXPECT_EQ(r.name, "studios");
  EXPECT_FALSE(r.is_ssm());
  EXPECT_EQ(r.group, Ip("239.77.0.1"));
  EXPECT_EQ(r.port, 19780);
  EXPECT_EQ(r.interface, "eth9");
  EXPECT_EQ(r.mesh.member, "studio-a");
  EXPECT_THAT(r.mesh.peers, ElementsAre(MeshPeer{"studio-b", Ip("10.77.0.2")},
                                        MeshPeer{"studio-c", Ip("10.77.0.3")}));
}

TEST(MeshConfigTest, SsmExpandsIntoOneReceiverPerPeerOnItsOwnInterface) {
  std::string text = kStudios;
  text.replace(text.find("239.77.0.1"), 10, "232.77.0.1");
  absl::StatusOr<Config> c =
      ParseConfig(text, "m.toml", HostWith({"10.77.0.2"}));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->meshes[0].ssm);  // 232/8: SSM by default.
  ASSERT_EQ(c->senders.size(), 1u);
  EXPECT_EQ(c->senders[0].source, Ip("10.77.0.2"));
  EXPECT_EQ(c->senders[0].interface, "veth-b");  // The member's own.
  ASSERT_EQ(c->receivers.size(), 2u);
  EXPECT_EQ(c->receivers[0].name, "studios/studio-a");
  EXPECT_EQ(c->receivers[0].source, Ip("10.77.0.1"));
  EXPECT_EQ(c->receivers[1].name, "studios/studio-c");
  EXPECT_EQ(c->receivers[1].source, Ip("10.77.0.3"));
  for (const ReceiverConfig& r : c->receivers) {
    EXPECT_TRUE(r.is_ssm());
    EXPECT_EQ(r.interface, "veth-b");
    EXPECT_EQ(r.igmp_version, 3);
    EXPECT_EQ(r.mesh.member, "studio-b");
    ASSERT_EQ(r.mesh.peers.size(), 1u);
    EXPECT_EQ(r.mesh.peers[0].address, r.source);
  }
  EXPECT_EQ(c->receivers[1].mesh.peers[0].name, "studio-c");
  // One source address per receiver: a few sender runs, not 256.
  EXPECT_EQ(c->receivers[0].max_senders, kSsmMeshMaxSenders);
  std::string many = text;
  many.replace(many.find("[defaults]\n"), 11, "[defaults]\nmax_senders = 64\n");
  absl::StatusOr<Config> set =
      ParseConfig(many, "m.toml", HostWith({"10.77.0.2"}));
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->receivers[0].max_senders, 64);
  // Every flow counts: 2 receivers x 1 descriptor.
  EXPECT_EQ(FdBudgetFor(*c).receivers, 2u);
  EXPECT_EQ(FdBudgetFor(*c).senders, 1u);
}

TEST(MeshConfigTest, Ipv6SsmMeshTakesMldAndIpv6Members) {
  const std::string text = R"([[mesh]]
name = "v6"
group = "ff3e::77"
mld_version = 2
[[mesh.member]]
name = "a"
address = "2001:db8::1"
[[mesh.member]]
name = "b"
address = "2001:db8::2"
)";
  absl::StatusOr<Config> c =
      ParseConfig(text, "m.toml", HostWith({"10.0.0.9", "2001:db8::2"}));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->meshes[0].ssm);  // ff3x::/32.
  EXPECT_EQ(c->meshes[0].self, 1u);
  ASSERT_EQ(c->receivers.size(), 1u);
  EXPECT_EQ(c->receivers[0].name, "v6/a");
  EXPECT_EQ(c->receivers[0].source, Ip("2001:db8::1"));
  EXPECT_EQ(c->receivers[0].mld_version, 2);
  EXPECT_EQ(c->senders[0].source, Ip("2001:db8::2"));
  // An IGMP version on an IPv6 mesh is the receivers' rule too.
  std::string igmp = text;
  igmp.replace(igmp.find("mld_version = 2"), 15, "igmp_version = 3");
  EXPECT_THAT(Errors(igmp, HostWith({"2001:db8::2"})),
              HasSubstr("m.toml:4:16: mesh[0].igmp_version: "));
}

TEST(MeshConfigTest, ModeOverridesTheGroupRange) {
  std::string text = kStudios;
  text.replace(text.find("port = 19780"), 12, "port = 19780\nmode = \"ssm\"");
  absl::StatusOr<Config> c =
      ParseConfig(text, "m.toml", HostWith({"10.77.0.3"}));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->meshes[0].ssm);
  EXPECT_EQ(c->receivers.size(), 2u);
}

TEST(MeshConfigTest, MeshMemberFlagWinsOverTheAddresses) {
  absl::StatusOr<Config> c = ParseConfig(
      kStudios, "m.toml", HostWith({"10.77.0.1"}, /*member=*/"studio-c"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->meshes[0].self, 2u);
  EXPECT_TRUE(c->meshes[0].self_by_flag);
  EXPECT_EQ(c->senders[0].source, Ip("10.77.0.3"));
  EXPECT_EQ(c->senders[0].mesh.member, "studio-c");
  EXPECT_THAT(c->receivers[0].mesh.peers,
              ElementsAre(MeshPeer{"studio-a", Ip("10.77.0.1")},
                          MeshPeer{"studio-b", Ip("10.77.0.2")}));
}

TEST(MeshConfigTest, NoOrSeveralMatchingAddressesNeedTheFlag) {
  const std::string members =
      "(members: studio-a 10.77.0.1, studio-b 10.77.0.2, studio-c "
      "10.77.0.3): pass --mesh-member NAME to say which member this host is";
  EXPECT_EQ(Errors(kStudios, HostWith({"127.0.0.1"})),
            "m.toml:3:1: mesh[0].member: no member address is one of this "
            "host's " +
                members);
  EXPECT_EQ(Errors(kStudios, HostWith({"10.77.0.3", "10.77.0.1"})),
            "m.toml:3:1: mesh[0].member: several member addresses are this "
            "host's " +
                members);
  // With the flag, the same two addresses are fine.
  EXPECT_EQ(Errors(kStudios, HostWith({"10.77.0.3", "10.77.0.1"}, "studio-a")),
            "OK");
  EXPECT_EQ(Errors(kStudios, HostWith({"10.77.0.1"}, "studio-z")),
            "m.toml:3:1: mesh[0].member: --mesh-member 'studio-z' is no "
            "member of this mesh (members: studio-a 10.77.0.1, studio-b "
            "10.77.0.2, studio-c 10.77.0.3)");
}

TEST(MeshConfigTest, ReportsEveryProblemWithItsPositionAndKey) {
  const std::string text = R"([[sender]]
name = "s2"
group = "239.1.1.1"
[[mesh]]
name = "s2"
group = "232.77.0.1"
colour = "red"
source = "10.0.0.1"
rate = "fast"
mode = "sparse"
[[mesh.member]]
name = "a b"
address = "239.0.0.1"
[[mesh.member]]
address = "::1"
port = 1
[[mesh]]
name = "s3"
group = "232.77.0.1"
[[mesh.member]]
name = "x"
address = "10.0.0.1"
[[mesh.member]]
name = "x"
address = "10.0.0.1"
[[mesh]]
group = "239.1.2.3"
)";
  EXPECT_EQ(
      Errors(text, HostWith({"10.0.0.1"})),
      "m.toml:5:8: mesh[0].name: duplicate probe name 's2', first used by "
      "sender[0] at 2:8 (names are unique across senders and receivers)\n"
      "m.toml:7:1: mesh[0].colour: unknown key (allowed: name, group, "
      "interface, port, ttl, dscp, rate, size, clock, igmp_version, "
      "mld_version, stall_timeout, reorder_window, reorder_packets, "
      "sender_expiry, mode, member)\n"
      "m.toml:8:1: mesh[0].source: unknown key: each [[mesh.member]] has its "
      "address (allowed: name, group, interface, port, ttl, dscp, rate, size, "
      "clock, igmp_version, mld_version, stall_timeout, reorder_window, "
      "reorder_packets, sender_expiry, mode, member)\n"
      "m.toml:9:8: mesh[0].rate: invalid rate 'fast': not a number with a "
      "unit (use e.g. 25pps, 1000, 64kbps, 1.5Mbps, 1Gbps)\n"
      "m.toml:10:8: mesh[0].mode: 'sparse' is not a mesh mode (\"asm\" or "
      "\"ssm\")\n"
      "m.toml:12:8: mesh[0].member[0].name: 'a b' is not a valid member name "
      "(1-63 letters, digits, '_', '-' or '.', e.g. \"studio-a\")\n"
      "m.toml:13:11: mesh[0].member[0].address: 239.0.0.1 is not a unicast "
      "address (an IPv4 unicast address, e.g. \"10.0.0.1\")\n"
      "m.toml:14:1: mesh[0].member[1].name: missing required key (1-63 "
      "letters, digits, '_', '-' or '.', e.g. \"studio-a\")\n"
      "m.toml:15:11: mesh[0].member[1].address: ::1 is an IPv6 address and "
      "the group 232.77.0.1 is IPv4 (the source must be of the group's "
      "family)\n"
      "m.toml:16:1: mesh[0].member[1].port: unknown key (allowed: name, "
      "address, interface)\n"
      "m.toml:19:9: mesh[1].group: 232.77.0.1 port 19779 is already the "
      "group of mesh[0] at 6:9 (each mesh needs its own group or port)\n"
      "m.toml:24:8: mesh[1].member[1].name: duplicate member name 'x', first "
      "used by mesh[1].member[0] at 21:8\n"
      "m.toml:25:11: mesh[1].member[1].address: duplicate member address "
      "10.0.0.1, first used by mesh[1].member[0] at 22:11\n"
      "m.toml:26:1: mesh[2].name: missing required key (1-64 letters, "
      "digits, '_', '-' or '.', e.g. \"feed-a\")\n"
      "m.toml:26:1: mesh[2].member: missing required key (one [[mesh.member]] "
      "per host, with name and address)");
}

TEST(MeshConfigTest, FlowsFollowTheProbeRulesAndTheMemoryLimit) {
  // SSM needs IGMPv3, as for a [[receiver]] with a source.
  std::string text = kStudios;
  text.replace(text.find("239.77.0.1"), 10, "232.77.0.1");
  text.replace(text.find("rate"), 0, "igmp_version = 2\n");
  EXPECT_THAT(Errors(text, HostWith({"10.77.0.1"})),
              HasSubstr("mesh[0].igmp_version: "));
  // Thousands of members' receivers count against the memory limit.
  std::string big = "[exporter]\nmemory_limit = \"1MiB\"\n";
  big += std::string(kStudios).substr(std::string(kStudios).find("[[mesh]]"));
  big.replace(big.find("239.77.0.1"), 10, "232.77.0.1");
  EXPECT_THAT(Errors(big, HostWith({"10.77.0.1"})),
              HasSubstr("exporter.memory_limit 1.0 MiB"));
}

// A [[mesh]] has no max_senders key: the memory error names one the user
// can change, where it is set, and says what to change.
TEST(MeshConfigTest, TheMemoryErrorNamesAKeyAMeshCanChange) {
  const std::string asm_text =
      "[exporter]\nmemory_limit = \"1MiB\"\n" +
      std::string(kStudios).substr(std::string(kStudios).find("[[mesh]]"));
  std::string ssm_text = asm_text;
  ssm_text.replace(ssm_text.find("239.77.0.1"), 10, "232.77.0.1");
  const MeshHost host = HostWith({"10.77.0.1"});
  // Nothing set: the mesh's own reorder_packets, at the mesh.
  const std::string asm_error = Errors(asm_text, host);
  EXPECT_THAT(asm_error, StartsWith("m.toml:3:1: mesh[0].reorder_packets: "));
  EXPECT_THAT(asm_error,
              HasSubstr("(lower reorder_packets in this [[mesh]] or "
                        "[defaults], or max_senders in [defaults] (an ASM mesh "
                        "receiver tracks at least one sender run per member, "
                        "here 3), or raise exporter.memory_limit)"));
  const std::string ssm_error = Errors(ssm_text, host);
  EXPECT_THAT(ssm_error, StartsWith("m.toml:3:1: mesh[0].reorder_packets: "));
  EXPECT_THAT(ssm_error, HasSubstr("or max_senders in [defaults] (an SSM mesh "
                                   "receiver tracks 8 sender runs unless it "
                                   "is set)"));
  for (const std::string& e : {asm_error, ssm_error}) {
    EXPECT_THAT(e, Not(HasSubstr("mesh[0].max_senders")));
  }
  // The mesh's reorder_packets where it is set.
  std::string own = ssm_text;
  own.replace(own.find("rate = "), 0, "reorder_packets = 1000\n");
  EXPECT_THAT(Errors(own, host),
              StartsWith("m.toml:7:19: mesh[0].reorder_packets: "));
  // [defaults] max_senders sizes an SSM receiver: named there.
  std::string senders = ssm_text;
  senders.replace(senders.find("[[mesh]]"), 0,
                  "[defaults]\nmax_senders = 512\n");
  EXPECT_THAT(Errors(senders, host),
              StartsWith("m.toml:4:15: defaults.max_senders: "));
  // An ASM receiver's follows the members when [defaults] says fewer: then
  // [defaults] max_senders changes nothing and is not named.
  std::string few = asm_text;
  few.replace(few.find("[[mesh]]"), 0,
              "[defaults]\nmax_senders = 2\nreorder_packets = 4000\n");
  EXPECT_THAT(Errors(few, host),
              StartsWith("m.toml:5:19: defaults.reorder_packets: "));
}

// The reload diff of one added member (the same file on every host, then
// SIGHUP): the own sender compares equal (not restarted); the ASM receiver
// is the same flow with one more peer (kept, counters and all); SSM gains
// exactly one receiver and keeps the others as they were.
TEST(MeshConfigTest, AddingAMemberChangesOnlyItsFlows) {
  std::string four = kStudios;
  four += "[[mesh.member]]\nname = \"studio-d\"\naddress = \"10.77.0.4\"\n";
  const MeshHost host = HostWith({"10.77.0.2"});
  for (bool ssm : {false, true}) {
    SCOPED_TRACE(ssm ? "ssm" : "asm");
    std::string before_text = kStudios, after_text = four;
    if (ssm) {
      before_text.replace(before_text.find("239.77.0.1"), 10, "232.77.0.1");
      after_text.replace(after_text.find("239.77.0.1"), 10, "232.77.0.1");
    }
    absl::StatusOr<Config> before = ParseConfig(before_text, "m.toml", host);
    absl::StatusOr<Config> after = ParseConfig(after_text, "m.toml", host);
    ASSERT_TRUE(before.ok() && after.ok());
    ASSERT_EQ(after->senders.size(), 1u);
    EXPECT_EQ(after->senders[0], before->senders[0]);
    if (!ssm) {
      ASSERT_EQ(after->receivers.size(), 1u);
      EXPECT_FALSE(after->receivers[0] == before->receivers[0]);
      EXPECT_TRUE(
          SameFlowButMeshPeers(after->receivers[0], before->receivers[0]));
      EXPECT_EQ(after->receivers[0].mesh.peers.size(), 3u);
      EXPECT_EQ(after->receivers[0].mesh.peers.back().name, "studio-d");
    } else {
      ASSERT_EQ(after->receivers.size(), 3u);
      EXPECT_EQ(after->receivers[0], before->receivers[0]);
      EXPECT_EQ(after->receivers[1], before->receivers[1]);
      EXPECT_EQ(after->receivers[2].name, "studios/studio-d");
      EXPECT_EQ(after->receivers[2].source, Ip("10.77.0.4"));
    }
    EXPECT_EQ(after->meshes[0].members.size(), 4u);
  }
  // A real change of the flow is not hidden: another rate restarts it.
  std::string faster = four;
  faster.replace(faster.find("rate = \"10pps\""), 14,
                 "rate = \"10pps\"\nreorder_window = \"2s\"");
  absl::StatusOr<Config> a = ParseConfig(four, "m.toml", host);
  absl::StatusOr<Config> b = ParseConfig(faster, "m.toml", host);
  ASSERT_TRUE(a.ok() && b.ok()) << b.status();
  EXPECT_FALSE(SameFlowButMeshPeers(b->receivers[0], a->receivers[0]));
}

// An ASM mesh of N members, studio-0 at 10.77.0.1 first.
std::string AsmMeshOf(int n) {
  std::string text = "[[mesh]]\nname = \"big\"\ngroup = \"239.77.0.1\"\n";
  for (int i = 0; i < n; ++i) {
    absl::StrAppend(&text, "[[mesh.member]]\nname = \"studio-", i,
                    "\"\naddress = \"10.77.", i / 250, ".", i % 250 + 1,
                    "\"\n");
  }
  return text;
}

// Above 256 members an ASM receiver's max_senders follows the count rounded
// up to a power of two: a SIGHUP adding one member (301 -> 302) keeps the
// receiver (only its peers change); crossing 512 is a new flow.
TEST(MeshConfigTest, AddingAMemberToABigAsmMeshKeepsItsReceiver) {
  EXPECT_EQ(MeshAsmMaxSenders(3), 4);
  EXPECT_EQ(MeshAsmMaxSenders(257), 512);
  EXPECT_EQ(MeshAsmMaxSenders(512), 512);
  EXPECT_EQ(MeshAsmMaxSenders(513), 1024);
  const MeshHost host = HostWith({"10.77.0.1"});
  auto max_senders = [&](int n) {
    absl::StatusOr<Config> c = ParseConfig(AsmMeshOf(n), "m.toml", host);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? c->receivers.at(0).max_senders : -1;
  };
  EXPECT_EQ(max_senders(3), 256);  // The default wins below it.
  EXPECT_EQ(max_senders(256), 256);
  EXPECT_EQ(max_senders(257), 512);
  EXPECT_EQ(max_senders(301), 512);
  absl::StatusOr<Config> before = ParseConfig(AsmMeshOf(301), "m.toml", host);
  absl::StatusOr<Config> after = ParseConfig(AsmMeshOf(302), "m.toml", host);
  absl::StatusOr<Config> crossed = ParseConfig(AsmMeshOf(513), "m.toml", host);
  ASSERT_TRUE(before.ok() && after.ok() && crossed.ok());
  EXPECT_EQ(after->receivers[0].mesh.peers.size(), 301u);
  EXPECT_TRUE(SameFlowButMeshPeers(after->receivers[0], before->receivers[0]));
  EXPECT_EQ(after->senders[0], before->senders[0]);
  // Removing one is the same.
  EXPECT_TRUE(SameFlowButMeshPeers(before->receivers[0], after->receivers[0]));
  EXPECT_EQ(crossed->receivers[0].max_senders, 1024);
  EXPECT_FALSE(
      SameFlowButMeshPeers(crossed->receivers[0], after->receivers[0]));
  // [defaults] max_senders above the count still wins.
  absl::StatusOr<Config> set = ParseConfig(
      "[defaults]\nmax_senders = 600\n" + AsmMeshOf(301), "m.toml", host);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->receivers[0].max_senders, 600);
}

}  // namespace
}  // namespace mcast::exporter
