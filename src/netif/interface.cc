#include "netif/interface.h"

#include "absl/strings/str_cat.h"

namespace mcast::netif {

std::string Address::ToString() const {
  return absl::StrCat(address.ToString(), "/", prefix_len);
}

}  // namespace mcast::netif
