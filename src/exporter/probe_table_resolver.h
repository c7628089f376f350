#ifndef MCAST_EXPORTER_PROBE_TABLE_RESOLVER_H_
#define MCAST_EXPORTER_PROBE_TABLE_RESOLVER_H_

// From probe tables as read to resolved probes: a probe's own value wins,
// then [defaults], then the built-in default (config.h). Here are also the
// rules that look at more than one key or more than one probe:
// - name and group are required in every probe;
// - probe names are unique across senders AND receivers, so a name alone
//   identifies a probe in metrics, logs and reloads;
// - rate with size, SSM with igmp_version, sender_expiry against the
//   windows (the shared rules of probe/spec_check.h);
// - every receiver's worst-case memory, summed, fits exporter.memory_limit.

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "exporter/config.h"
#include "exporter/probe_fields.h"
#include "exporter/toml_problems.h"

namespace mcast::exporter {

class ProbeTableResolver {
 public:
  // `defaults` and `problems` must outlive the resolver; probes go to
  // `config` in the order they are added.
  ProbeTableResolver(const ProbeFields& defaults, TomlProblems& problems,
                     Config* config);

  void AddSender(const ProbeFields& own, const std::string& path);
  void AddReceiver(const ProbeFields& own, const std::string& path);

  // For [[mesh]] flows (mesh_table_resolver.h), whose names are not the
  // table's: a sender or receiver resolved from `own` by every rule above
  // but the identity ones, added as is; the mesh's name is noted among the
  // probe names (unique across senders, receivers and meshes).
  SenderConfig ResolveSender(const ProbeFields& own, const std::string& path);
  ReceiverConfig ResolveReceiver(const ProbeFields& own,
                                 const std::string& path);
  void AddResolvedSender(SenderConfig sender);
  // Where the memory check reports a receiver that crosses the limit: the
  // node, the key named (e.g. "receiver[0].max_senders") and the hint of
  // what to change.
  struct MemorySite {
    const toml::node* at;
    std::string key;
    std::string hint;
  };
  void AddResolvedReceiver(ReceiverConfig receiver, MemorySite site);
  // A [[receiver]]'s: the node of the key that sizes it (max_senders, else
  // reorder_packets, own or [defaults], else its table), named
  // PATH.max_senders.
  MemorySite SizeSite(const ProbeFields& own, const std::string& path) const;
  void NoteMeshName(const ProbeFields& mesh, const std::string& path);

  // After all probes: duplicate names, in file order, so "first used by"
  // really is the first whether senders or receivers come first.
  void CheckNames();
  // After everything else is valid; reported at the first receiver that
  // crosses the limit, on the key that sizes it.
  void CheckMemory(bool memory_limit_set);

 private:
  void Missing(const ProbeFields& f, const std::string& path,
               absl::string_view key, absl::string_view allowed);
  void NoteName(const ProbeFields& f, const std::string& path);
  // name and group are required; the name is noted for CheckNames.
  void RequireIdentity(const ProbeFields& own, const std::string& path);
  // The address rules across group, source and interface (family, scope),
  // through probe/spec_check.h as the command line checks them.
  void CheckAddresses(const ProbeFields& own, const std::string& path,
                      const std::string& interface);

  const ProbeFields& defaults_;
  TomlProblems& problems_;
  Config* config_;
  struct NameUse {
    std::string name;
    std::string path;
    const toml::node* node;
  };
  std::vector<NameUse> names_;
  // Per entry of config_->receivers: its path and where its size is set.
  std::vector<MemorySite> receiver_sites_;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_PROBE_TABLE_RESOLVER_H_
