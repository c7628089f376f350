#include "net/igmp_version_guard.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "net/igmp_state_dir.h"
#include "net/igmp_state_record.h"
#include "net/process_identity.h"
#include "netif/interface_lookup.h"
#include "proc/force_igmp_version_file.h"

namespace mcast::net {
namespace {

constexpr char kDefaultStateDir[] = "/run/mcast-tools";
// Other records of the namespace read per start, to clean up after
// deleted devices.
constexpr size_t kMaxRecordsScanned = 64;

using IndexOf = std::function<absl::StatusOr<int>(absl::string_view)>;

std::atomic<uint64_t> g_serial{0};

// The fallback warning is said once per state directory and process; the
// list is bounded like everything else.
absl::Mutex g_warned_mu;
std::vector<std::string>* g_warned ABSL_GUARDED_BY(g_warned_mu) = nullptr;

bool FirstWarningFor(const std::string& dir) {
  absl::MutexLock lock(&g_warned_mu);
  if (g_warned == nullptr) g_warned = new std::vector<std::string>();
  if (std::find(g_warned->begin(), g_warned->end(), dir) != g_warned->end()) {
    return false;
  }
  if (g_warned->size() < 16) g_warned->push_back(dir);
  return true;
}

// The index the name has now; 0 when there is no such interface.
int CurrentIndex(const IndexOf& index_of, absl::string_view iface) {
  absl::StatusOr<int> index =
      index_of ? index_of(iface) : netif::InterfaceIndex(iface);
  return index.ok() && *index > 0 ? *index : 0;
}

uint64_t OwnNetns() {
  struct stat st {};
  if (stat("/proc/self/ns/net", &st) != 0) return 0;
  return static_cast<uint64_t>(st.st_ino);
}

void PruneDead(std::vector<IgmpStateHolder>* holders) {
  holders->erase(std::remove_if(holders->begin(), holders->end(),
                                [](const IgmpStateHolder& h) {
                                  return !ProcessAlive(h.pid, h.start_time);
                                }),
                 holders->end());
}

// Records of deleted devices whose holders are all dead would otherwise
// stay until reboot: remove those of this namespace (other namespaces'
// devices cannot be looked up from here).
void RemoveStaleRecords(IgmpStateDir& dir, proc::GroupProtocol protocol,
                        uint64_t netns, const std::string& own,
                        const IndexOf& index_of) {
  for (const std::string& name :
       dir.List(IgmpStateFilePrefix(netns, protocol), kMaxRecordsScanned)) {
    if (name == own) continue;
    absl::StatusOr<IgmpStateRecord> r = dir.Load(name);
    if (!r.ok() || r->netns != netns) continue;
    if (CurrentIndex(index_of, r->interface) == r->ifindex) continue;
    PruneDead(&r->holders);
    if (r->holders.empty()) (void)dir.Remove(name);
  }
}

absl::Status DeviceGone(proc::GroupProtocol protocol, absl::string_view iface,
                        int old_index, int now) {
  return absl::NotFoundError(absl::StrCat(
      "'", iface, "' (index ", old_index, ") ",
      now == 0 ? "was deleted"
               : absl::StrCat("was re-created as index ", now).c_str(),
      ": its saved ", proc::GroupProtocolName(protocol),
      " version went with the old device; nothing written"));
}

}  // namespace

std::string DefaultIgmpStateDir() {
  const char* env = std::getenv("MCAST_STATE_DIR");
  return env != nullptr ? std::string(env) : std::string(kDefaultStateDir);
}

absl::StatusOr<IgmpVersionGuard> IgmpVersionGuard::Force(
    std::string iface, int version, std::string proc_root) {
  Options options;
  options.proc_root = std::move(proc_root);
  return Force(std::move(iface), version, options);
}

absl::StatusOr<IgmpVersionGuard> IgmpVersionGuard::Force(
    std::string iface, int version, const Options& options) {
  if (absl::Status s = proc::CheckConfInterfaceName(iface); !s.ok()) return s;
  const proc::GroupProtocol protocol = options.protocol;
  const std::string p(proc::GroupProtocolName(protocol));  // "IGMP", "MLD".
  if (version < 0 || version > proc::MaxGroupProtocolVersion(protocol)) {
    return absl::InvalidArgumentError(absl::StrCat(
        p, " version must be 0 (kernel default), ",
        protocol == proc::GroupProtocol::kMld ? "1 or 2" : "1, 2 or 3",
        ", not ", version));
  }
  IgmpVersionGuard g;
  g.protocol_ = protocol;
  g.iface_ = std::move(iface);
  g.path_ = proc::ForceVersionPath(protocol, options.proc_root, g.iface_);
  g.forced_ = version;
  g.index_of_ = options.index_of;
  g.serial_ = ++g_serial;
  g.ifindex_ = CurrentIndex(g.index_of_, g.iface_);
  // A tool that may not force (not root) needs no state directory either:
  // answer before touching it. Effective ids and capabilities, as the
  // write will use.
  if (absl::Status s =
          proc::CheckForceVersionWritable(protocol, g.iface_, g.path_);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<int> current =
      proc::ReadForceVersionFile(protocol, g.iface_, g.path_);
  if (!current.ok()) return current.status();

  std::optional<IgmpStateDir> dir;
  const uint64_t netns = options.netns_id != 0 ? options.netns_id : OwnNetns();
  if (!options.state_dir.empty()) {
    std::string why_not;
    if (g.ifindex_ == 0) {
      why_not = "its interface index is unknown";
    } else if (netns == 0) {
      why_not = "cannot read /proc/self/ns/net";
    } else if (!IsPlausibleInterfaceName(g.iface_)) {
      why_not = "the interface name is not one the kernel gives";
    } else {
      absl::StatusOr<IgmpStateDir> opened =
          IgmpStateDir::OpenLocked(options.state_dir);
      if (opened.ok()) {
        dir.emplace(std::move(*opened));
      } else {
        why_not = std::string(opened.status().message());
      }
    }
    if (!why_not.empty() && FirstWarningFor(options.state_dir)) {
      g.notes_.push_back(absl::StrCat(
          p, " versions are not recorded in ", options.state_dir, " (", why_not,
          "): they are restored on a normal exit only, not after a SIGKILL"));
    }
  }
  if (!dir) {
    if (absl::Status s =
            proc::WriteForceVersionFile(protocol, g.iface_, g.path_, version);
        !s.ok()) {
      return s;
    }
    g.previous_ = *current;
    g.active_ = true;
    return g;
  }

  const std::string name =
      IgmpStateFileName(netns, g.ifindex_, g.iface_, protocol);
  RemoveStaleRecords(*dir, protocol, netns, name, g.index_of_);
  IgmpStateRecord rec;
  bool have = false;
  absl::StatusOr<IgmpStateRecord> loaded = dir->Load(name);
  if (loaded.ok()) {
    if (loaded->netns == netns && loaded->ifindex == g.ifindex_ &&
        loaded->interface == g.iface_ && loaded->protocol == protocol) {
      rec = std::move(*loaded);
      have = true;
    } else {
      g.notes_.push_back(absl::StrCat("ignoring ", dir->path(), "/", name,
                                      ": it describes another device"));
    }
  } else if (!absl::IsNotFound(loaded.status())) {
    g.notes_.push_back(
        absl::StrCat("ignoring an unreadable ", p, " state record (",
                     loaded.status().message(), "); taking ", p, "v", *current,
                     " on ", g.iface_, " as the original"));
  }

  int original = *current;
  if (have) {
    const std::vector<IgmpStateHolder> before = rec.holders;
    PruneDead(&rec.holders);
    if (!rec.holders.empty()) {
      original = rec.original;
      const IgmpStateHolder& last = rec.holders.back();
      if (last.forced != version) {
        g.notes_.push_back(absl::StrFormat(
            "%s: %sv%d forced by pid %d is overridden by %sv%d (the last "
            "tool to force wins; v%d comes back when this one leaves)",
            g.iface_, p, last.forced, last.pid, p, version, last.forced));
      }
    } else if (*current == rec.applied) {
      original = rec.original;
      absl::Status s = *current == rec.original
                           ? absl::OkStatus()
                           : proc::WriteForceVersionFile(protocol, g.iface_,
                                                         g.path_, rec.original);
      g.notes_.push_back(absl::StrFormat(
          "%s: %sv%d was left forced by a tool that died (pid %d); %s "
          "the recorded original v%d",
          g.iface_, p, rec.applied, before.empty() ? 0 : before.back().pid,
          s.ok() ? "restored" : "could not restore", rec.original));
    } else {
      g.notes_.push_back(absl::StrFormat(
          "%s: a dead tool's record says v%d was applied, but v%d is set: "
          "taking v%d (set since) as the original",
          g.iface_, rec.applied, *current, *current));
    }
    if (rec.holders.size() >= kMaxIgmpStateHolders) {
      return absl::ResourceExhaustedError(
          absl::StrCat(g.iface_, " already has ", rec.holders.size(),
                       " processes forcing its ", p, " version"));
    }
  }
  if (absl::Status s =
          proc::WriteForceVersionFile(protocol, g.iface_, g.path_, version);
      !s.ok()) {
    if (have && rec.holders.empty()) (void)dir->Remove(name);
    return s;
  }
  rec.protocol = protocol;
  rec.netns = netns;
  rec.ifindex = g.ifindex_;
  rec.interface = g.iface_;
  rec.original = original;
  rec.applied = version;
  const int64_t pid = getpid();
  rec.holders.push_back({pid, ProcessStartTime(pid), version, g.serial_});
  g.previous_ = original;
  g.active_ = true;
  if (absl::Status s = dir->Save(name, rec); !s.ok()) {
    g.notes_.push_back(absl::StrCat(
        p, " version of ", g.iface_, " not recorded (", s.message(),
        "): restored on a normal exit only, not after a SIGKILL"));
    return g;
  }
  g.state_dir_ = options.state_dir;
  g.record_name_ = name;
  return g;
}

IgmpVersionGuard::IgmpVersionGuard(IgmpVersionGuard&& other) noexcept
    : iface_(std::move(other.iface_)),
      path_(std::move(other.path_)),
      previous_(other.previous_),
      forced_(other.forced_),
      ifindex_(other.ifindex_),
      protocol_(other.protocol_),
      index_of_(std::move(other.index_of_)),
      state_dir_(std::move(other.state_dir_)),
      record_name_(std::move(other.record_name_)),
      serial_(other.serial_),
      notes_(std::move(other.notes_)),
      active_(std::exchange(other.active_, false)) {}

IgmpVersionGuard& IgmpVersionGuard::operator=(
    IgmpVersionGuard&& other) noexcept {
  if (this != &other) {
    Restore().IgnoreError();
    iface_ = std::move(other.iface_);
    path_ = std::move(other.path_);
    previous_ = other.previous_;
    forced_ = other.forced_;
    ifindex_ = other.ifindex_;
    protocol_ = other.protocol_;
    index_of_ = std::move(other.index_of_);
    state_dir_ = std::move(other.state_dir_);
    record_name_ = std::move(other.record_name_);
    serial_ = other.serial_;
    notes_ = std::move(other.notes_);
    active_ = std::exchange(other.active_, false);
  }
  return *this;
}

IgmpVersionGuard::~IgmpVersionGuard() { Restore().IgnoreError(); }

absl::Status IgmpVersionGuard::WriteOriginalFromMemory(bool device_same) {
  if (!device_same) {
    return DeviceGone(protocol_, iface_, ifindex_,
                      CurrentIndex(index_of_, iface_));
  }
  return proc::WriteForceVersionFile(protocol_, iface_, path_, previous_);
}

absl::Status IgmpVersionGuard::Restore() {
  if (!active_) return absl::OkStatus();
  active_ = false;
  // An unknown index (0) cannot tell devices apart: trust the name, as
  // before records existed.
  const int now_index = ifindex_ == 0 ? 0 : CurrentIndex(index_of_, iface_);
  const bool device_same = ifindex_ == 0 || now_index == ifindex_;
  if (state_dir_.empty()) return WriteOriginalFromMemory(device_same);

  absl::StatusOr<IgmpStateDir> dir = IgmpStateDir::OpenLocked(state_dir_);
  if (!dir.ok()) return WriteOriginalFromMemory(device_same);
  absl::StatusOr<IgmpStateRecord> loaded = dir->Load(record_name_);
  if (!loaded.ok()) return WriteOriginalFromMemory(device_same);
  IgmpStateRecord& rec = *loaded;
  const int64_t pid = getpid();
  rec.holders.erase(std::remove_if(rec.holders.begin(), rec.holders.end(),
                                   [&](const IgmpStateHolder& h) {
                                     return h.pid == pid && h.serial == serial_;
                                   }),
                    rec.holders.end());
  PruneDead(&rec.holders);
  if (!device_same) {
    if (rec.holders.empty()) {
      (void)dir->Remove(record_name_);
    } else {
      (void)dir->Save(record_name_, rec);
    }
    return DeviceGone(protocol_, iface_, ifindex_, now_index);
  }
  if (!rec.holders.empty()) {
    // Others still force this interface: the newest one's value stands.
    const int v = rec.holders.back().forced;
    absl::StatusOr<int> current =
        proc::ReadForceVersionFile(protocol_, iface_, path_);
    absl::Status s =
        current.ok() && *current == v
            ? absl::OkStatus()
            : proc::WriteForceVersionFile(protocol_, iface_, path_, v);
    rec.applied = v;
    absl::Status saved = dir->Save(record_name_, rec);
    return s.ok() ? saved : s;
  }
  absl::Status s =
      proc::WriteForceVersionFile(protocol_, iface_, path_, rec.original);
  absl::Status removed = dir->Remove(record_name_);
  return s.ok() ? removed : s;
}

}  // namespace mcast::net
