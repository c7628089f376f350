#ifndef MCAST_UTIL_BYTE_SIZE_H_
#define MCAST_UTIL_BYTE_SIZE_H_

// Memory sizes as users write them in configs: a whole number of bytes, or
// a number with a unit: "512KiB", "256MiB", "1.5GiB", "2TiB" (powers of
// 1024) or "500kB", "100MB", "1GB" (powers of 1000). Negative, empty,
// fractional-byte and non-finite values are errors.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcast::util {

absl::StatusOr<uint64_t> ParseByteSize(absl::string_view text);

// For messages: "1.5 GiB", "24.0 KiB", "512 B".
std::string FormatByteSize(uint64_t bytes);

}  // namespace mcast::util

#endif  // MCAST_UTIL_BYTE_SIZE_H_
