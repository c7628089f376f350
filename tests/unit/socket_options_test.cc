// Option checks that fail before any socket sends or joins anything.
#include <gtest/gtest.h>

#include "net/receiver_socket.h"
#include "net/sender_socket.h"

namespace mcast::net {
namespace {

SenderSocketOptions GoodSender() {
  SenderSocketOptions o;
  o.group = *inet::IpAddress::Parse("239.1.2.3");
  return o;
}

ReceiverSocketOptions GoodReceiver() {
  ReceiverSocketOptions o;
  o.group = *inet::IpAddress::Parse("239.1.2.3");
  return o;
}

TEST(SenderSocketOptionsTest, RejectsBadOptions) {
  SenderSocketOptions o = GoodSender();
  o.group = *inet::IpAddress::Parse("10.0.0.1");
  EXPECT_TRUE(absl::IsInvalidArgument(SenderSocket::Open(o).status()));
  o = GoodSender();
  o.ttl = 256;
  EXPECT_TRUE(absl::IsInvalidArgument(SenderSocket::Open(o).status()));
  o = GoodSender();
  o.dscp = 64;
  EXPECT_TRUE(absl::IsInvalidArgument(SenderSocket::Open(o).status()));
  o = GoodSender();
  o.source = *inet::IpAddress::Parse("239.0.0.1");
  EXPECT_TRUE(absl::IsInvalidArgument(SenderSocket::Open(o).status()));
  o = GoodSender();
  o.interface = "nosuchif0";
  absl::Status s = SenderSocket::Open(o).status();
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
  EXPECT_EQ(s.message(), "no interface named 'nosuchif0'");
}

TEST(SenderSocketOptionsTest, TransientErrorsAreUnavailable) {
  EXPECT_TRUE(
      SenderSocket::IsTransientSendError(absl::UnavailableError("ENOBUFS")));
  EXPECT_FALSE(
      SenderSocket::IsTransientSendError(absl::InternalError("EMSGSIZE")));
}

TEST(ReceiverSocketOptionsTest, RejectsBadOptions) {
  ReceiverSocketOptions o = GoodReceiver();
  o.group = *inet::IpAddress::Parse("10.0.0.1");
  EXPECT_TRUE(absl::IsInvalidArgument(ReceiverSocket::Open(o).status()));
  o = GoodReceiver();
  o.batch_size = 0;
  EXPECT_TRUE(absl::IsInvalidArgument(ReceiverSocket::Open(o).status()));
  o = GoodReceiver();
  o.batch_size = ReceiverSocket::kMaxBatch + 1;
  EXPECT_TRUE(absl::IsInvalidArgument(ReceiverSocket::Open(o).status()));
  o = GoodReceiver();
  o.max_datagram_size = 0;
  EXPECT_TRUE(absl::IsInvalidArgument(ReceiverSocket::Open(o).status()));
  o = GoodReceiver();
  o.source = *inet::IpAddress::Parse("232.0.0.1");
  EXPECT_TRUE(absl::IsInvalidArgument(ReceiverSocket::Open(o).status()));
  o = GoodReceiver();
  o.interface = "nosuchif0";
  EXPECT_TRUE(absl::IsNotFound(ReceiverSocket::Open(o).status()));
}

}  // namespace
}  // namespace mcast::net
