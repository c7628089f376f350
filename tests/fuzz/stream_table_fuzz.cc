// The stream table and its decoders (RTP, seq:OFFSET:WIDTH, MoldUDP64,
// MPEG-TS classification) under any bytes any sender on the group can send.
// The input: two setup bytes (decode mode: bits 0-2 mod 6; seq offset 0-15 and
// width 1/2/4/8 with byte order, table cap 1-8), then per datagram a source
// byte (one of 16 address/port pairs), a time step byte (x 10 ms), a 2-byte
// length (mod 2048) and that many bytes. After each datagram:
//   - the table never holds more sources than its cap;
//   - every datagram and byte is accounted once: the totals (evicted
//     sources included) equal what was fed;
//   - the sequence engine's `received` total only grows.
#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>

#include "absl/types/span.h"
#include "inet/ip_address.h"
#include "streams/stream_table.h"

namespace {

namespace st = mcast::streams;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  st::StreamTableOptions options;
  options.flow.decode.mode = static_cast<st::DecodeMode>((data[0] & 7) % 6);
  options.flow.decode.seq_offset = (data[0] >> 3) & 15;
  static constexpr uint32_t kWidths[] = {1, 2, 4, 8};
  options.flow.decode.seq_width = kWidths[data[1] & 3];
  options.flow.decode.seq_little_endian = (data[1] & 4) != 0;
  options.max_streams = 1 + ((data[1] >> 3) & 7);
  st::StreamTable table(options);

  uint64_t fed = 0, fed_bytes = 0, received = 0;
  int64_t now = 1'000'000'000;
  size_t at = 2;
  while (at + 4 <= size) {
    const uint8_t source = data[at];
    now += int64_t{data[at + 1]} * 10'000'000;
    const size_t want = (size_t{data[at + 2]} << 8 | data[at + 3]) % 2048;
    at += 4;
    const size_t len = want < size - at ? want : size - at;
    in_addr a{htonl(0x0a000001u + (source & 3))};
    const uint16_t port = 5000 + ((source >> 2) & 3);
    table.OnDatagram(mcast::inet::IpAddress::FromV4(a), port,
                     absl::MakeConstSpan(data + at, len), now,
                     now + 1'700'000'000'000'000'000);
    at += len;
    ++fed;
    fed_bytes += len;
    if (source & 0x80) table.Tick(now);

    const st::StreamTableSnapshot s = table.Snapshot(now);
    Check(s.streams.size() <= options.max_streams);
    Check(s.packets == fed);
    Check(s.bytes == fed_bytes);
    Check(s.sequence.received >= received);
    received = s.sequence.received;
  }
  table.Finish();
  return 0;
}
