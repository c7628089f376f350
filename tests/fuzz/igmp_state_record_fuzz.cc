// The IGMP state record (net/igmp_state_record.h) is read from a shared
// directory any tool, crash or editor may have written: every accepted
// record must satisfy its bounds and survive a format/parse round trip,
// every refusal must be one short printable line, and the file name made
// from an accepted record must be a single path component. The second half
// of the input is also tried as a /proc/<pid>/stat text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "net/igmp_state_record.h"
#include "net/process_identity.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

using mcast::net::IgmpStateRecord;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<IgmpStateRecord> r = mcast::net::ParseIgmpStateRecord(text);
  if (r.ok()) {
    Check(r->netns != 0 && r->ifindex > 0);
    Check(r->original >= 0 && r->original <= 3);
    Check(r->applied >= 0 && r->applied <= 3);
    Check(r->holders.size() <= mcast::net::kMaxIgmpStateHolders);
    for (const auto& h : r->holders) {
      Check(h.pid > 0 && h.pid <= 4194304 && h.forced >= 0 && h.forced <= 3);
    }
    Check(mcast::net::IsPlausibleInterfaceName(r->interface));
    const std::string formatted = mcast::net::FormatIgmpStateRecord(*r);
    Check(formatted.size() <= mcast::net::kMaxIgmpStateFileBytes);
    absl::StatusOr<IgmpStateRecord> again =
        mcast::net::ParseIgmpStateRecord(formatted);
    Check(again.ok() && *again == *r);
    const std::string name =
        mcast::net::IgmpStateFileName(r->netns, r->ifindex, r->interface);
    Check(name.find('/') == std::string::npos && name != "." && name != "..");
  } else {
    const absl::string_view m = r.status().message();
    Check(!m.empty() && m.size() < 256);
    for (char c : m) {
      const unsigned char u = static_cast<unsigned char>(c);
      Check(u >= 0x20 && u < 0x7f);
    }
  }
  (void)mcast::net::ParseProcStatStartTime(text.substr(size / 2));
  return 0;
}
