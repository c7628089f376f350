#include "probe/decode_spec_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace mcast::probe {
namespace {

struct Case {
  const char* text;
  const char* canonical;  // nullptr: an error containing `error`.
  const char* error;
};

// The table the CLI (--decode) and the exporter (decode = "...") must agree
// on: both call ParseDecodeSpec, so the result and the reason are the same.
constexpr Case kCases[] = {
    {"auto", "auto", nullptr},
    {"probe", "probe", nullptr},
    {"rtp", "rtp", nullptr},
    {"mpegts", "mpegts", nullptr},
    {"moldudp64", "moldudp64", nullptr},
    {"seq:0:8", "seq:0:8:be", nullptr},
    {"seq:4:4:le", "seq:4:4:le", nullptr},
    {"seq:12:2:be", "seq:12:2:be", nullptr},
    {"seq:65506:1", "seq:65506:1:be", nullptr},
    {"seq:65500:8", nullptr, "exceeds the largest UDP payload"},
    {"seq:65507:1", nullptr, "OFFSET must be a byte offset 0..65506"},
    {"seq:1:3", nullptr, "WIDTH must be 1, 2, 4 or 8 bytes"},
    {"seq:1:16", nullptr, "WIDTH must be 1, 2, 4 or 8 bytes"},
    {"seq:-1:2", nullptr, "OFFSET must be"},
    {"seq:+1:2", nullptr, "OFFSET must be"},
    {"seq: 1:2", nullptr, "OFFSET must be"},
    {"seq:1:2:xx", nullptr, "byte order must be be or le"},
    {"seq:1", nullptr, "expected seq:OFFSET:WIDTH[:be|le]"},
    {"seq:1:2:be:x", nullptr, "expected seq:OFFSET:WIDTH[:be|le]"},
    {"", nullptr, "expected auto, probe"},
    {"RTP", nullptr, "expected auto, probe"},
    {"rtp\n", nullptr, "is not a decoder"},
};

TEST(DecodeSpecParserTest, Table) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.text);
    auto spec = ParseDecodeSpec(c.text);
    if (c.canonical != nullptr) {
      ASSERT_TRUE(spec.ok()) << spec.status();
      EXPECT_EQ(spec->ToString(), c.canonical);
      // The canonical text parses to the same spec.
      auto again = ParseDecodeSpec(spec->ToString());
      ASSERT_TRUE(again.ok());
      EXPECT_EQ(*again, *spec);
    } else {
      ASSERT_FALSE(spec.ok());
      EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_NE(std::string(spec.status().message()).find(c.error),
                std::string::npos)
          << spec.status();
    }
  }
}

TEST(DecodeSpecParserTest, UntrustedTextIsQuotedOnOneLine) {
  auto spec = ParseDecodeSpec("x\ny");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(std::string(spec.status().message()).find('\n'), std::string::npos);
}

TEST(DecodeSpecParserTest, RtpClockRate) {
  EXPECT_EQ(*CheckRtpClockRate(90000), 90000u);
  EXPECT_EQ(*CheckRtpClockRate(1), 1u);
  EXPECT_FALSE(CheckRtpClockRate(0).ok());
  EXPECT_FALSE(CheckRtpClockRate(-5).ok());
  EXPECT_FALSE(CheckRtpClockRate(10'000'001).ok());
}

}  // namespace
}  // namespace mcast::probe
