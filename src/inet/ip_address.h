#ifndef MCAST_INET_IP_ADDRESS_H_
#define MCAST_INET_IP_ADDRESS_H_

// An IPv4 or IPv6 address held by value (no allocation), so it can key the
// per-sender tables on the packet path.

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcast::inet {

class IpAddress {
 public:
  IpAddress() = default;  // Unspecified (family AF_UNSPEC).

  static IpAddress FromV4(in_addr addr);
  static IpAddress FromV6(const in6_addr& addr);
  // Accepts AF_INET and AF_INET6 socket addresses; anything else gives an
  // unspecified address.
  static IpAddress FromSockaddr(const sockaddr* sa);
  // Dotted quad or IPv6 text. The error names the text.
  static absl::StatusOr<IpAddress> Parse(absl::string_view text);

  int family() const { return family_; }
  bool is_v4() const { return family_ == AF_INET; }
  bool is_v6() const { return family_ == AF_INET6; }
  bool is_unspecified() const { return family_ == AF_UNSPEC; }
  bool is_multicast() const;

  in_addr v4() const;
  in6_addr v6() const;

  std::string ToString() const;

  friend bool operator==(const IpAddress&, const IpAddress&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const IpAddress& a) {
    return H::combine(std::move(h), a.family_, a.bytes_);
  }

 private:
  uint8_t family_ = AF_UNSPEC;
  std::array<uint8_t, 16> bytes_{};
};

}  // namespace mcast::inet

#endif  // MCAST_INET_IP_ADDRESS_H_
