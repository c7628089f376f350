// /-/ready answers 503 until the exporter says the config is loaded and the
// probes are started (WebState::set_ready), 200 after; /-/healthy is 200
// throughout (issue 15). The real HttpEndpoint (civetweb and the request
// filter) on the namespace's loopback, asked with a plain socket.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "exporter/http_endpoint.h"
#include "exporter/metrics_view.h"
#include "exporter/web_state.h"

namespace mcast::exporter {
namespace {

// The status line of GET `path` on 127.0.0.1:`port`, or "" on failure.
std::string StatusLine(int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0) {
    const std::string request = "GET " + path + " HTTP/1.0\r\n\r\n";
    if (::write(fd, request.data(), request.size()) ==
        static_cast<ssize_t>(request.size())) {
      char buf[512];
      ssize_t n;
      while ((n = ::read(fd, buf, sizeof(buf))) > 0) answer.append(buf, n);
    }
  }
  ::close(fd);
  return answer.substr(0, answer.find("\r\n"));
}

TEST(HttpReadyNetnsTest, ReadyIs503UntilSetReady) {
  absl::StatusOr<std::unique_ptr<WebState>> web = WebState::Create("");
  ASSERT_TRUE(web.ok()) << web.status();
  absl::StatusOr<std::unique_ptr<HttpEndpoint>> http = HttpEndpoint::Start(
      {"127.0.0.1:0"}, "/metrics", [] { return MetricsView{}; }, web->get());
  ASSERT_TRUE(http.ok()) << http.status();
  ASSERT_FALSE((*http)->ports().empty());
  const int port = (*http)->ports().front();
  EXPECT_EQ(StatusLine(port, "/-/ready"), "HTTP/1.0 503 Service Unavailable");
  EXPECT_EQ(StatusLine(port, "/-/healthy"), "HTTP/1.0 200 OK");
  (*web)->set_ready(true);
  EXPECT_EQ(StatusLine(port, "/-/ready"), "HTTP/1.0 200 OK");
  EXPECT_EQ(StatusLine(port, "/-/healthy"), "HTTP/1.0 200 OK");
  (*web)->set_ready(false);
  EXPECT_EQ(StatusLine(port, "/-/ready"), "HTTP/1.0 503 Service Unavailable");
}

}  // namespace
}  // namespace mcast::exporter
