#include "exporter/mesh_table_resolver.h"

#include <algorithm>
#include <bit>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "exporter/toml_values.h"
#include "packet/header.h"
#include "probe/spec_check.h"
#include "util/message_text.h"

namespace mcast::exporter {
namespace {

std::string At(const toml::node& node) {
  const toml::source_position& at = node.source().begin;
  return absl::StrCat(at.line, ":", at.column);
}

// "studio-a 10.77.0.1, studio-b 10.77.0.2"
std::string MemberList(const MeshFields& mesh) {
  std::vector<std::string> parts;
  for (const MeshMemberFields& m : mesh.members) {
    parts.push_back(absl::StrCat(
        m.name.value.value_or("?"), " ",
        m.address.value ? m.address.value->ToString() : std::string("?")));
  }
  return absl::StrJoin(parts, ", ");
}

Field<inet::IpAddress> AddressField(const MeshMemberFields& m) {
  return m.address;
}

}  // namespace

MeshTableResolver::MeshTableResolver(const ProbeFields& defaults,
                                     const MeshHost& host,
                                     ProbeTableResolver& probes,
                                     TomlProblems& problems, Config* config)
    : defaults_(defaults),
      host_(host),
      probes_(probes),
      problems_(problems),
      config_(config) {}

void MeshTableResolver::AddMesh(const MeshFields& mesh,
                                const std::string& path) {
  const ProbeFields& f = mesh.probe;
  bool ok = true;
  auto missing = [&](const toml::table& table, const std::string& key,
                     absl::string_view allowed) {
    Report(problems_, table, key,
           absl::StrCat("missing required key (", allowed, ")"));
    ok = false;
  };
  if (!f.name.set()) missing(*f.table, path + ".name", kNameAllowed);
  if (!f.group.set()) missing(*f.table, path + ".group", probe::kGroupAllowed);
  probes_.NoteMeshName(f, path);
  if (mesh.members.empty()) {
    missing(*f.table, path + ".member",
            "one [[mesh.member]] per host, with name and address");
  }
  absl::flat_hash_map<std::string, const MeshMemberFields*> names;
  absl::flat_hash_map<inet::IpAddress, const MeshMemberFields*> addresses;
  for (const MeshMemberFields& m : mesh.members) {
    if (!m.name.set()) missing(*m.table, m.path + ".name", kMemberNameAllowed);
    if (!m.address.set()) {
      missing(*m.table, m.path + ".address",
              "the member's sending address, of the group's family");
    }
    if (m.name.invalid || m.address.invalid || m.interface.invalid) ok = false;
    if (m.name.value) {
      auto [it, inserted] = names.try_emplace(*m.name.value, &m);
      if (!inserted) {
        Report(problems_, *m.name.node, m.path + ".name",
               absl::StrCat("duplicate member name ",
                            util::QuoteUntrusted(*m.name.value),
                            ", first used by ", it->second->path, " at ",
                            At(*it->second->name.node)));
        ok = false;
      }
    }
    if (m.address.value) {
      auto [it, inserted] = addresses.try_emplace(*m.address.value, &m);
      if (!inserted) {
        Report(problems_, *m.address.node, m.path + ".address",
               absl::StrCat("duplicate member address ",
                            m.address.value->ToString(), ", first used by ",
                            it->second->path, " at ",
                            At(*it->second->address.node)));
        ok = false;
      } else if (f.group.value) {
        absl::Status family =
            probe::CheckSourceFamily(*f.group.value, *m.address.value);
        if (!family.ok()) {
          Report(problems_, *m.address.node, m.path + ".address",
                 family.message());
          ok = false;
        }
      }
    }
  }
  // Distinct (group, port): two meshes on one would receive each other.
  const int port = Inherit(f.port, defaults_.port)
                       .value.value_or(static_cast<int>(packet::kDefaultPort));
  if (f.group.value) {
    for (const Used& u : used_) {
      if (u.group == *f.group.value && u.port == port) {
        Report(
            problems_, *f.group.node, path + ".group",
            absl::StrCat(f.group.value->ToString(), " port ", port,
                         " is already the group of ", u.path, " at ", At(*u.at),
                         " (each mesh needs its own group or port)"));
        ok = false;
      }
    }
    used_.push_back({*f.group.value, port, path, f.group.node});
  }
  if (!ok || !f.name.value || !f.group.value || mesh.ssm.invalid) return;
  std::optional<size_t> self = FindSelf(mesh, path);
  if (!self) return;

  MeshConfig c;
  c.name = *f.name.value;
  c.group = *f.group.value;
  c.port = static_cast<uint16_t>(port);
  c.ssm = mesh.ssm.value.value_or(probe::IsSsmGroup(c.group));
  c.self = *self;
  c.self_by_flag = !host_.member.empty();
  for (const MeshMemberFields& m : mesh.members) {
    c.members.push_back(
        {*m.name.value, *m.address.value, m.interface.value.value_or("")});
  }
  Expand(mesh, path, *self, std::move(c));
}

std::optional<size_t> MeshTableResolver::FindSelf(const MeshFields& mesh,
                                                  const std::string& path) {
  const toml::table& table = *mesh.probe.table;
  if (!host_.member.empty()) {
    for (size_t i = 0; i < mesh.members.size(); ++i) {
      if (mesh.members[i].name.value == host_.member) return i;
    }
    Report(problems_, table, path + ".member",
           absl::StrCat(
               "--mesh-member ", util::QuoteUntrusted(host_.member),
               " is no member of this mesh (members: ", MemberList(mesh), ")"));
    return std::nullopt;
  }
  std::vector<size_t> found;
  for (size_t i = 0; i < mesh.members.size(); ++i) {
    const inet::IpAddress& a = *mesh.members[i].address.value;
    if (std::find(host_.addresses.begin(), host_.addresses.end(), a) !=
        host_.addresses.end()) {
      found.push_back(i);
    }
  }
  if (found.size() == 1) return found[0];
  Report(problems_, table, path + ".member",
         absl::StrCat(found.empty() ? "no member address is one of this "
                                      "host's"
                                    : "several member addresses are this "
                                      "host's",
                      " (members: ", MemberList(mesh),
                      "): pass --mesh-member NAME to say which member this "
                      "host is"));
  return std::nullopt;
}

ProbeTableResolver::MemorySite MeshTableResolver::SizeSite(
    const ProbeFields& own, const std::string& path,
    const MeshConfig& c) const {
  // A mesh has no max_senders of its own: an ASM receiver's follows the
  // member count, an SSM one's is kSsmMeshMaxSenders unless [defaults]
  // sets it. Name the key the user can change where it is set, else the
  // mesh's reorder_packets (settable in the [[mesh]]).
  const ProbeFields& d = defaults_;
  const bool defaults_senders =
      d.max_senders.set() && (c.ssm || d.max_senders.value.value_or(0) >
                                           static_cast<int>(c.members.size()));
  ProbeTableResolver::MemorySite site;
  if (own.reorder_packets.set()) {
    site = {own.reorder_packets.node, path + ".reorder_packets", ""};
  } else if (defaults_senders) {
    site = {d.max_senders.node, "defaults.max_senders", ""};
  } else if (d.reorder_packets.set()) {
    site = {d.reorder_packets.node, "defaults.reorder_packets", ""};
  } else {
    site = {own.table, path + ".reorder_packets", ""};
  }
  site.hint = c.ssm
                  ? absl::StrCat(
                        "lower reorder_packets in this [[mesh]] or "
                        "[defaults], or max_senders in [defaults] (an SSM "
                        "mesh receiver tracks ",
                        kSsmMeshMaxSenders,
                        " sender runs unless it is set), or raise "
                        "exporter.memory_limit")
                  : absl::StrCat(
                        "lower reorder_packets in this [[mesh]] or "
                        "[defaults], or max_senders in [defaults] (an ASM "
                        "mesh receiver tracks at least one sender run per "
                        "member, here ",
                        c.members.size(), "), or raise exporter.memory_limit");
  return site;
}

void MeshTableResolver::Expand(const MeshFields& mesh, const std::string& path,
                               size_t self, MeshConfig c) {
  const MeshMemberFields& me = mesh.members[self];
  // The flows' fields: the mesh's, with this member's source and interface.
  ProbeFields own = mesh.probe;
  if (me.interface.set()) own.interface = me.interface;
  own.source = AddressField(me);
  MeshRole role{
      c.name, me.name.value.value_or(""), c.members[self].address, {}};

  SenderConfig s = probes_.ResolveSender(own, path);
  s.name = c.name;
  s.loopback = false;  // Its own receiver must not see it: no diagonal.
  s.mesh = role;
  probes_.AddResolvedSender(std::move(s));

  std::vector<size_t> peers;
  for (size_t i = 0; i < mesh.members.size(); ++i) {
    if (i != self) peers.push_back(i);
  }
  const ProbeTableResolver::MemorySite site = SizeSite(own, path, c);
  if (!c.ssm) {
    ProbeFields rx = own;
    rx.source = {};
    ReceiverConfig r = probes_.ResolveReceiver(rx, path);
    r.name = c.name;
    r.mesh = role;
    for (size_t i : peers) {
      r.mesh.peers.push_back({c.members[i].name, c.members[i].address});
    }
    // Every member's sender tracked, whatever [defaults] says. Above the
    // default 256 the count is rounded up to a power of two: max_senders is
    // part of the flow, so following the count exactly restarted the
    // receiver (counters reset) on every SIGHUP that added or removed a
    // member; rounded, only crossing a power of two (512, 1024, ...) does,
    // and the memory check counts the rounded size, so the table stays
    // bounded by what was checked (resizing a live table in place would
    // need its runs evicted on a shrink).
    r.max_senders =
        std::max(r.max_senders, MeshAsmMaxSenders(c.members.size()));
    probes_.AddResolvedReceiver(std::move(r), site);
  } else if (!peers.empty()) {
    // One resolution (its problems reported once), one copy per peer.
    ProbeFields rx = own;
    rx.source = AddressField(mesh.members[peers[0]]);
    ReceiverConfig first = probes_.ResolveReceiver(rx, path);
    // An (S,G) receiver hears one address: a few sender runs (restarts)
    // suffice, so 100 members fit the default memory limit; [defaults]
    // max_senders still wins.
    if (!defaults_.max_senders.set()) {
      first.max_senders = std::min(first.max_senders, kSsmMeshMaxSenders);
    }
    for (size_t i : peers) {
      ReceiverConfig r = first;
      r.source = c.members[i].address;
      r.name = absl::StrCat(c.name, "/", c.members[i].name);
      r.mesh = role;
      r.mesh.peers.push_back({c.members[i].name, c.members[i].address});
      probes_.AddResolvedReceiver(std::move(r), site);
    }
  }
  config_->meshes.push_back(std::move(c));
}

}  // namespace mcast::exporter
