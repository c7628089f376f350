#include "net/receive_buffers.h"

#include <time.h>

#include "absl/strings/str_cat.h"

namespace mcast::net {

// IP_TTL, IP_TOS (or IPV6_HOPLIMIT, IPV6_TCLASS), SCM_TIMESTAMPNS and
// SO_RXQ_OVFL, with margin for a control
// message nobody asked for.
static_assert(ReceiveBuffers::kControlSize >= CMSG_SPACE(sizeof(int)) * 2 +
                                                  CMSG_SPACE(sizeof(timespec)) +
                                                  CMSG_SPACE(sizeof(uint32_t)));
static_assert(ReceiveBuffers::kControlSize % alignof(cmsghdr) == 0);

absl::StatusOr<ReceiveBuffers> ReceiveBuffers::Create(int batch_size,
                                                      size_t slot_size) {
  if (batch_size < 1 || batch_size > kMaxBatch) {
    return absl::InvalidArgumentError(absl::StrCat(
        "receive batch size must be 1..", kMaxBatch, ", not ", batch_size));
  }
  if (slot_size < 1 || slot_size > (1u << 20)) {
    return absl::InvalidArgumentError(
        absl::StrCat("max datagram size must be 1..1048576, not ", slot_size));
  }
  ReceiveBuffers b;
  const size_t batch = static_cast<size_t>(batch_size);
  b.slot_size_ = slot_size;
  b.buffers_.resize(batch * slot_size);
  b.controls_.resize(batch * kControlSize);
  b.sources_.resize(batch);
  b.iovecs_.resize(batch);
  b.messages_.resize(batch);
  b.received_.resize(batch);
  for (size_t i = 0; i < batch; ++i) {
    b.iovecs_[i].iov_base = b.buffers_.data() + i * slot_size;
    b.iovecs_[i].iov_len = slot_size;
    msghdr& h = b.messages_[i].msg_hdr;
    h.msg_name = &b.sources_[i];
    h.msg_iov = &b.iovecs_[i];
    h.msg_iovlen = 1;
    h.msg_control = b.controls_.data() + i * kControlSize;
  }
  b.filled_ = batch;  // Every message is set by the first Reset.
  b.Reset();
  return b;
}

void ReceiveBuffers::Reset() {
  for (size_t i = 0; i < filled_; ++i) {
    msghdr& h = messages_[i].msg_hdr;
    h.msg_namelen = sizeof(sockaddr_in6);
    h.msg_controllen = kControlSize;
    h.msg_flags = 0;
  }
  filled_ = 0;
}

}  // namespace mcast::net
