#include "exporter/metric_catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "cli/metric_catalog_json.h"
#include "nlohmann/json.hpp"

namespace mcast::exporter {
namespace {

TEST(MetricCatalogTest, NamesAndLabelsAreValidAndUnique) {
  const std::regex metric_name("mcast_[a-z0-9_]+");
  const std::regex label_name("[a-z][a-z0-9_]*");
  std::set<std::string_view> names;
  for (const MetricSpec& spec : MetricCatalog()) {
    SCOPED_TRACE(std::string(spec.name));
    EXPECT_TRUE(std::regex_match(std::string(spec.name), metric_name));
    EXPECT_TRUE(names.insert(spec.name).second) << "declared twice";
    EXPECT_EQ(&SpecOf(spec.id), &spec);
    // Prometheus naming: counters and only counters end in _total.
    EXPECT_EQ(spec.type == MetricType::kCounter, spec.name.ends_with("_total"));
    EXPECT_FALSE(spec.help.empty());
    EXPECT_TRUE(spec.help.ends_with("."));
    std::set<std::string_view> labels;
    for (std::string_view label : spec.labels) {
      EXPECT_TRUE(std::regex_match(std::string(label), label_name)) << label;
      EXPECT_TRUE(labels.insert(label).second) << label << " twice";
      // Reserved: Prometheus adds le to buckets, job/instance to targets.
      EXPECT_THAT(label,
                  ::testing::Not(::testing::AnyOf("le", "job", "instance")));
    }
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(Metric::kCount));
}

// A mesh series carries the family's labels in their order, with mesh and
// receiver_name after a receiver's four, sender_name after sender, and
// mesh, sender_name after a sender's three: nothing else, nothing moved.
TEST(MetricCatalogTest, MeshLabelsAreTheLabelsWithTheMemberNames) {
  size_t with_mesh = 0;
  for (const MetricSpec& spec : MetricCatalog()) {
    SCOPED_TRACE(std::string(spec.name));
    if (spec.mesh_labels.empty()) continue;
    ++with_mesh;
    std::vector<std::string_view> want;
    const bool receiver = spec.labels.size() >= 4 && spec.labels[2] == "source";
    for (size_t i = 0; i < spec.labels.size(); ++i) {
      want.push_back(spec.labels[i]);
      if (receiver && i == 3) {
        want.push_back(kMeshLabel);
        want.push_back(kReceiverNameLabel);
      }
      if (spec.labels[i] == "sender" && spec.labels.size() == 5) {
        want.push_back(kSenderNameLabel);
      }
      if (!receiver && spec.labels[i] == "interface") {
        want.push_back(kMeshLabel);
        want.push_back(kSenderNameLabel);
      }
    }
    EXPECT_THAT(std::vector<std::string_view>(spec.mesh_labels.begin(),
                                              spec.mesh_labels.end()),
                ::testing::ElementsAreArray(want));
  }
  // Every receiver and sender family (streams included); not the
  // exporter's own, the queriers', the interfaces' or the mesh ones.
  EXPECT_EQ(with_mesh, static_cast<size_t>(Metric::kCount) - 5 - 6 - 3);
  EXPECT_TRUE(SpecOf(Metric::kMeshPeerState).mesh_labels.empty());
  EXPECT_THAT(
      SpecOf(Metric::kMeshPeerState).labels,
      ::testing::ElementsAre("mesh", "sender_name", "receiver_name", "state"));
  EXPECT_THAT(
      SpecOf(Metric::kRxPacketsTotal).mesh_labels,
      ::testing::ElementsAre("probe", "group", "source", "interface", "mesh",
                             "receiver_name", "sender", "sender_name"));
}

TEST(MetricCatalogTest, JsonListsTheCatalogInOrder) {
  nlohmann::json doc = nlohmann::json::parse(cli::MetricCatalogJson());
  const nlohmann::json& metrics = doc.at("metrics");
  ASSERT_EQ(metrics.size(), MetricCatalog().size());
  size_t i = 0;
  for (const MetricSpec& spec : MetricCatalog()) {
    const nlohmann::json& m = metrics[i++];
    EXPECT_EQ(m.at("name"), spec.name);
    EXPECT_EQ(m.at("type"), MetricTypeName(spec.type));
    EXPECT_EQ(m.at("help"), spec.help);
    ASSERT_EQ(m.at("labels").size(), spec.labels.size());
    for (size_t j = 0; j < spec.labels.size(); ++j) {
      EXPECT_EQ(m.at("labels")[j], spec.labels[j]);
    }
    // Added only where a family has mesh series.
    ASSERT_EQ(m.contains("mesh_labels"), !spec.mesh_labels.empty());
    if (!spec.mesh_labels.empty()) {
      ASSERT_EQ(m.at("mesh_labels").size(), spec.mesh_labels.size());
      for (size_t j = 0; j < spec.mesh_labels.size(); ++j) {
        EXPECT_EQ(m.at("mesh_labels")[j], spec.mesh_labels[j]);
      }
    }
  }
  EXPECT_EQ(SpecOf(Metric::kRxOneWayDelaySeconds).type, MetricType::kHistogram);
  EXPECT_EQ(metrics[static_cast<size_t>(Metric::kRxPacketsTotal)].dump(),
            R"({"help":"Valid probe packets received.","labels":["probe",)"
            R"("group","source","interface","sender"],)"
            R"("mesh_labels":["probe","group","source","interface","mesh",)"
            R"("receiver_name","sender","sender_name"],)"
            R"("name":"mcast_rx_packets_total","type":"counter"})");
}

}  // namespace
}  // namespace mcast::exporter
