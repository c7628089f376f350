// Receivers that share one ReceiveBuffers (as the exporter's do) each get
// their own datagrams, exactly, over lo inside the private namespace of
// mcast_netns_tests; and a shared set replaces the socket's own geometry.

#include "net/receive_buffers.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <memory>
#include <string>
#include <vector>

#include "net/receiver_socket.h"
#include "net/sender_socket.h"

namespace mcast::net {
namespace {

inet::IpAddress Ip(const char* text) { return *inet::IpAddress::Parse(text); }

ReceiverSocketOptions RxOptions(const char* group,
                                std::shared_ptr<ReceiveBuffers> shared) {
  ReceiverSocketOptions o;
  o.group = Ip(group);
  o.port = 19871;
  o.interface = "lo";
  o.shared_buffers = std::move(shared);
  return o;
}

void Send(const char* group, const std::string& text, int count) {
  SenderSocketOptions so;
  so.group = Ip(group);
  so.port = 19871;
  so.interface = "lo";
  absl::StatusOr<SenderSocket> sender = SenderSocket::Open(so);
  ASSERT_TRUE(sender.ok()) << sender.status();
  for (int i = 0; i < count; ++i) {
    std::string payload = text + std::to_string(i);
    const absl::Span<const uint8_t> one[] = {absl::MakeConstSpan(
        reinterpret_cast<const uint8_t*>(payload.data()), payload.size())};
    absl::StatusOr<int> sent = sender->SendBatch(one);
    ASSERT_TRUE(sent.ok()) << sent.status();
    ASSERT_EQ(*sent, 1);
  }
}

// Reads `socket` until `count` datagrams arrived; returns their payloads.
std::vector<std::string> Drain(ReceiverSocket& socket, int count) {
  std::vector<std::string> got;
  while (static_cast<int>(got.size()) < count) {
    pollfd p{socket.fd(), POLLIN, 0};
    if (poll(&p, 1, 5000) != 1) break;
    absl::StatusOr<absl::Span<const ReceivedDatagram>> batch =
        socket.RecvBatch();
    if (!batch.ok()) break;
    for (const ReceivedDatagram& d : *batch) {
      got.emplace_back(reinterpret_cast<const char*>(d.data.data()),
                       d.data.size());
    }
  }
  return got;
}

TEST(ReceiveBuffersTest, SharingSocketsEachGetTheirOwnGroup) {
  absl::StatusOr<ReceiveBuffers> created = ReceiveBuffers::Create(8, 512);
  ASSERT_TRUE(created.ok()) << created.status();
  auto shared = std::make_shared<ReceiveBuffers>(*std::move(created));
  absl::StatusOr<ReceiverSocket> a =
      ReceiverSocket::Open(RxOptions("239.10.9.21", shared));
  ASSERT_TRUE(a.ok()) << a.status();
  absl::StatusOr<ReceiverSocket> b =
      ReceiverSocket::Open(RxOptions("239.10.9.22", shared));
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->options().batch_size, 8);
  EXPECT_EQ(a->options().max_datagram_size, 512u);

  // More than one batch each, and both queued before either is read: each
  // read must return only its socket's datagrams, in order.
  Send("239.10.9.21", "a-", 20);
  Send("239.10.9.22", "b-", 20);
  std::vector<std::string> from_a = Drain(*a, 20);
  std::vector<std::string> from_b = Drain(*b, 20);
  ASSERT_EQ(from_a.size(), 20u);
  ASSERT_EQ(from_b.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(from_a[i], "a-" + std::to_string(i));
    EXPECT_EQ(from_b[i], "b-" + std::to_string(i));
  }
}

TEST(ReceiveBuffersTest, RejectsBadGeometry) {
  EXPECT_FALSE(ReceiveBuffers::Create(0, 512).ok());
  EXPECT_FALSE(ReceiveBuffers::Create(ReceiveBuffers::kMaxBatch + 1, 512).ok());
  EXPECT_FALSE(ReceiveBuffers::Create(8, 0).ok());
  EXPECT_FALSE(ReceiveBuffers::Create(8, (1u << 20) + 1).ok());
}

}  // namespace
}  // namespace mcast::net
