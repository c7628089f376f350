// The probe header is the one input every host on a monitored group can
// send. Arbitrary bytes must decode to exactly the documented class, an
// accepted header must be what a sender could have written (and re-encode
// to the same 32 bytes), and a decoded datagram fed to the statistics
// engine must land in exactly one counter.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "absl/types/span.h"
#include "inet/ip_address.h"
#include "net/receiver_socket.h"
#include "packet/header.h"
#include "probe/probe_receiver.h"
#include "stats/receiver_stats.h"

namespace {

using mcast::packet::DecodeResult;
using mcast::packet::Header;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

// What DecodeHeader must say, from the README's definition of foreign.
DecodeResult Expected(const uint8_t* p, size_t size) {
  namespace pk = mcast::packet;
  if (size < pk::kHeaderSize) return DecodeResult::kTooShort;
  if (std::memcmp(p, pk::kMagic.data(), pk::kMagic.size()) != 0) {
    return DecodeResult::kBadMagic;
  }
  if (p[4] != pk::kVersion) return DecodeResult::kBadVersion;
  const bool zero_id = p[8] == 0 && p[9] == 0 && p[10] == 0 && p[11] == 0;
  if (p[7] > 63 || zero_id) return DecodeResult::kBadField;
  return DecodeResult::kOk;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace pk = mcast::packet;
  const absl::Span<const uint8_t> in(data, size);

  Header sentinel;
  sentinel.sender_id = 0xDEADBEEF;
  sentinel.sequence = 42;
  Header h = sentinel;
  const DecodeResult r = pk::DecodeHeader(in, &h);
  Check(r == Expected(data, size));
  Check(!pk::DecodeResultName(r).empty());
  if (r != DecodeResult::kOk) {
    Check(h == sentinel);  // Nothing written on failure.
  } else {
    Check(h.version == pk::kVersion && h.dscp <= 63 && h.sender_id != 0);
    // Encode is the exact inverse of decode on the 32 header bytes.
    std::array<uint8_t, pk::kHeaderSize> out{};
    pk::EncodeHeader(h, absl::MakeSpan(out));
    Check(std::memcmp(out.data(), data, pk::kHeaderSize) == 0);
    Header again;
    Check(pk::DecodeHeader(out, &again) == DecodeResult::kOk && again == h);

    // A full datagram of the input's size (capped) round-trips, with the
    // documented padding, and a patch changes only what it says.
    std::vector<uint8_t> datagram(std::min(size, pk::kMaxDatagramSize));
    Check(pk::EncodeDatagram(h, absl::MakeSpan(datagram)));
    for (size_t i = pk::kHeaderSize; i < datagram.size(); ++i) {
      Check(datagram[i] == pk::kPaddingByte);
    }
    Header patched = h;
    patched.flags = static_cast<uint8_t>(~h.flags);
    patched.sequence = ~h.sequence;
    patched.timestamp_ns = h.timestamp_ns ^ 0x8000000000000001ull;
    pk::PatchHeader(patched.flags, patched.sequence, patched.timestamp_ns,
                    absl::MakeSpan(datagram));
    Check(pk::DecodeHeader(datagram, &again) == DecodeResult::kOk &&
          again == patched);
    std::array<uint8_t, pk::kHeaderSize - 1> short_buffer{};
    Check(!pk::EncodeDatagram(h, absl::MakeSpan(short_buffer)));
  }

  // Through the receive path: a valid probe is a packet of exactly one
  // sender, anything else one foreign datagram; never both, never neither.
  mcast::stats::ReceiverStats stats(mcast::stats::ReceiverStatsOptions{});
  mcast::net::ReceivedDatagram d;
  d.source = *mcast::inet::IpAddress::Parse("192.0.2.1");
  d.data = in;
  d.length = size;
  d.ttl = size > 0 ? data[0] : -1;
  d.tos = size > 1 ? data[1] : -1;
  d.kernel_time_ns = size > 2 ? int64_t{data[2]} << 56 : 0;
  mcast::probe::FeedDatagram(d, 1'000'000'000, 2'000'000'000, stats);
  stats.Tick(5'000'000'000);
  stats.Finish();
  const mcast::stats::ReceiverSnapshot s = stats.Snapshot(5'000'000'000);
  if (r == DecodeResult::kOk) {
    Check(s.foreign == 0 && s.senders.size() == 1);
    Check(s.totals.received == 1 && s.totals.unique == 1);
    Check(s.totals.lost == 0 && s.totals.pending == 0);
    Check(s.total_bytes == size);
    Check(s.senders[0].sender_id == h.sender_id);
    Check(s.senders[0].first_seq == h.sequence);
  } else {
    Check(s.foreign == 1 && s.senders.empty() && s.totals.received == 0);
  }
  return 0;
}
