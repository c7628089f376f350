#include "inet/ip_address.h"

#include <arpa/inet.h>

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mcast::inet {

IpAddress IpAddress::FromV4(in_addr addr) {
  IpAddress a;
  a.family_ = AF_INET;
  std::memcpy(a.bytes_.data(), &addr, 4);
  return a;
}

IpAddress IpAddress::FromV6(const in6_addr& addr) {
  IpAddress a;
  a.family_ = AF_INET6;
  std::memcpy(a.bytes_.data(), &addr, 16);
  return a;
}

IpAddress IpAddress::FromSockaddr(const sockaddr* sa) {
  if (sa == nullptr) return IpAddress();
  if (sa->sa_family == AF_INET) {
    return FromV4(reinterpret_cast<const sockaddr_in*>(sa)->sin_addr);
  }
  if (sa->sa_family == AF_INET6) {
    return FromV6(reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr);
  }
  return IpAddress();
}

absl::StatusOr<IpAddress> IpAddress::Parse(absl::string_view text) {
  std::string s(text);
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) return FromV4(v4);
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) return FromV6(v6);
  return absl::InvalidArgumentError(
      absl::StrCat("'", text, "' is not an IP address"));
}

bool IpAddress::is_multicast() const {
  if (is_v4()) return (bytes_[0] & 0xF0) == 0xE0;  // 224.0.0.0/4
  if (is_v6()) return bytes_[0] == 0xFF;           // ff00::/8
  return false;
}

in_addr IpAddress::v4() const {
  in_addr a{};
  if (is_v4()) std::memcpy(&a, bytes_.data(), 4);
  return a;
}

in6_addr IpAddress::v6() const {
  in6_addr a{};
  if (is_v6()) std::memcpy(&a, bytes_.data(), 16);
  return a;
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (is_v4()) {
    inet_ntop(AF_INET, bytes_.data(), buf, sizeof(buf));
  } else if (is_v6()) {
    inet_ntop(AF_INET6, bytes_.data(), buf, sizeof(buf));
  } else {
    return "unspecified";
  }
  return buf;
}

}  // namespace mcast::inet
