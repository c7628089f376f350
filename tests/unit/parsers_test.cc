#include <gtest/gtest.h>

#include "util/dscp.h"
#include "util/duration.h"
#include "util/rate.h"

namespace mcast::util {
namespace {

TEST(DscpTest, ParsesNamesAndNumbers) {
  const std::pair<const char*, int> cases[] = {
      {"be", 0},    {"DF", 0},    {"cs0", 0},   {"cs1", 8},   {"af11", 10},
      {"af12", 12}, {"af13", 14}, {"cs2", 16},  {"af21", 18}, {"af22", 20},
      {"af23", 22}, {"cs3", 24},  {"af31", 26}, {"af32", 28}, {"af33", 30},
      {"cs4", 32},  {"af41", 34}, {"af42", 36}, {"AF43", 38}, {"cs5", 40},
      {"va", 44},   {"ef", 46},   {"cs6", 48},  {"cs7", 56},  {"0", 0},
      {"63", 63},   {" 46 ", 46}, {"7", 7},
  };
  for (const auto& [text, value] : cases) {
    auto got = ParseDscp(text);
    ASSERT_TRUE(got.ok()) << text << ": " << got.status();
    EXPECT_EQ(*got, value) << text;
  }
}

TEST(DscpTest, RejectsJunkWithExactMessage) {
  for (const char* bad : {"64", "-1", "", "efx", "af44", "cs8", "4.5", "0x2e",
                          "+1", "99999999999999999999"}) {
    auto got = ParseDscp(bad);
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(ParseDscp("64").status().message(),
            "invalid DSCP '64': use 0-63 or a name (be, ef, va, af11-af43, "
            "cs0-cs7)");
}

TEST(DscpTest, NamesBack) {
  EXPECT_EQ(DscpName(0), "be");
  EXPECT_EQ(DscpName(46), "ef");
  EXPECT_EQ(DscpName(34), "af41");
  EXPECT_EQ(DscpName(8), "cs1");
  EXPECT_EQ(DscpName(44), "va");
  EXPECT_EQ(DscpName(7), "7");
  for (int d = 0; d < 64; ++d) {
    auto back = ParseDscp(DscpName(d));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, d);
  }
}

TEST(RateTest, ParsesPacketAndBitRates) {
  auto r = ParseRate("25pps");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->unit, Rate::Unit::kPacketsPerSecond);
  EXPECT_DOUBLE_EQ(r->PacketsPerSecond(200), 25);

  r = ParseRate("1000");
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->PacketsPerSecond(200), 1000);

  // 1 Mbit/s of 200-byte datagrams = 625 packets/s.
  r = ParseRate("1Mbps");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->unit, Rate::Unit::kBitsPerSecond);
  EXPECT_DOUBLE_EQ(r->value, 1e6);
  EXPECT_DOUBLE_EQ(r->PacketsPerSecond(200), 625);

  EXPECT_DOUBLE_EQ(ParseRate("64kbps")->value, 64e3);
  EXPECT_DOUBLE_EQ(ParseRate("1.5Mbps")->value, 1.5e6);
  EXPECT_DOUBLE_EQ(ParseRate("2Gbps")->value, 2e9);
  EXPECT_DOUBLE_EQ(ParseRate("800bps")->value, 800);
  EXPECT_DOUBLE_EQ(ParseRate("0.5pps")->value, 0.5);
  EXPECT_EQ(ParseRate("1.5Mbps")->ToString(), "1.5Mbps");
  EXPECT_EQ(ParseRate("25pps")->ToString(), "25pps");
}

TEST(RateTest, RejectsJunkZeroAndNegativeWithExactMessage) {
  EXPECT_EQ(ParseRate("0pps").status().message(),
            "invalid rate '0pps': must be greater than zero (use e.g. 25pps, "
            "1000, 64kbps, 1.5Mbps, 1Gbps)");
  EXPECT_EQ(ParseRate("-5pps").status().message(),
            "invalid rate '-5pps': must be positive (use e.g. 25pps, 1000, "
            "64kbps, 1.5Mbps, 1Gbps)");
  EXPECT_EQ(ParseRate("fast").status().message(),
            "invalid rate 'fast': not a number with a unit (use e.g. 25pps, "
            "1000, 64kbps, 1.5Mbps, 1Gbps)");
  for (const char* bad : {"", "pps", "Mbps", "1Xbps", "1 2pps", "nanpps",
                          "infpps", "1e400pps", "abc1pps", "--1"}) {
    EXPECT_FALSE(ParseRate(bad).ok()) << bad;
  }
}

TEST(RateTest, RejectsAFiniteNumberWhoseScaledValueOverflows) {
  // Found by tests/fuzz/value_parsers_fuzz.cc: 1e308 x 1e9 is +inf.
  EXPECT_EQ(ParseRate("1e308gbps").status().message(),
            "invalid rate '1e308gbps': too large (use e.g. 25pps, 1000, "
            "64kbps, 1.5Mbps, 1Gbps)");
}

TEST(DurationTest, ParsesUnits) {
  EXPECT_EQ(*ParseDuration("600"), absl::Seconds(600));
  EXPECT_EQ(*ParseDuration("2.5"), absl::Milliseconds(2500));
  EXPECT_EQ(*ParseDuration("3s"), absl::Seconds(3));
  EXPECT_EQ(*ParseDuration("10m"), absl::Minutes(10));
  EXPECT_EQ(*ParseDuration("1h"), absl::Hours(1));
  EXPECT_EQ(*ParseDuration("250ms"), absl::Milliseconds(250));
  EXPECT_EQ(*ParseDuration("0"), absl::ZeroDuration());
}

TEST(DurationTest, RejectsJunkWithExactMessage) {
  EXPECT_EQ(ParseDuration("-1").status().message(),
            "invalid duration '-1': must not be negative (use e.g. 600, 2.5, "
            "250ms, 3s, 10m, 1h)");
  EXPECT_EQ(ParseDuration("soon").status().message(),
            "invalid duration 'soon': not a number with an optional unit (use "
            "e.g. 600, 2.5, 250ms, 3s, 10m, 1h)");
  for (const char* bad : {"", "s", "10d", "1.2.3", "nan", "inf", "1e300h"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace mcast::util
