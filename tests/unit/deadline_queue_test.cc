#include "net/deadline_queue.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace mcast::net {
namespace {

using Node = DeadlineQueue::Node;

TEST(DeadlineQueueTest, PopsEarliestFirstAndEqualDeadlinesInScheduleOrder) {
  DeadlineQueue q;
  std::vector<Node> nodes(6);
  const int64_t deadlines[] = {30, 10, 20, 10, 30, 10};
  for (size_t i = 0; i < nodes.size(); ++i) q.Schedule(&nodes[i], deadlines[i]);
  std::vector<Node*> popped;
  while (Node* n = q.Pop()) popped.push_back(n);
  const std::vector<Node*> want = {&nodes[1], &nodes[3], &nodes[5],
                                   &nodes[2], &nodes[0], &nodes[4]};
  EXPECT_EQ(popped, want);
  for (const Node& n : nodes) EXPECT_FALSE(n.queued());
  EXPECT_EQ(q.Pop(), nullptr);
  EXPECT_EQ(q.top(), nullptr);
}

TEST(DeadlineQueueTest, RescheduleMovesBothWaysAndRemoveForgets) {
  DeadlineQueue q;
  Node a, b, c;
  q.Schedule(&a, 10);
  q.Schedule(&b, 20);
  q.Schedule(&c, 30);
  q.Schedule(&c, 5);  // Earlier.
  EXPECT_EQ(q.top(), &c);
  q.Schedule(&c, 40);  // Later again.
  EXPECT_EQ(q.top(), &a);
  EXPECT_EQ(q.size(), 3u);
  q.Remove(&a);
  q.Remove(&a);  // Not queued: nothing happens.
  EXPECT_FALSE(a.queued());
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.Pop(), &b);
  EXPECT_EQ(q.Pop(), &c);
  EXPECT_TRUE(q.empty());
}

// Random schedules, moves, removals and pops against an ordered set of
// (deadline, order) keys: the queue must agree after every step.
TEST(DeadlineQueueTest, AgreesWithAnOrderedSetUnderRandomOperations) {
  constexpr int kNodes = 500;
  DeadlineQueue q;
  std::vector<Node> nodes(kNodes);
  std::set<std::pair<std::pair<int64_t, uint64_t>, Node*>> model;
  auto key = [](Node& n) {
    return std::pair{std::pair{n.deadline, n.order}, &n};
  };
  std::mt19937_64 rng(12);
  for (int step = 0; step < 200000; ++step) {
    Node& n = nodes[rng() % kNodes];
    switch (rng() % 4) {
      case 0:
      case 1:  // Schedule or move; few distinct deadlines, so many ties.
        if (n.queued()) model.erase(key(n));
        q.Schedule(&n, static_cast<int64_t>(rng() % 64));
        model.insert(key(n));
        break;
      case 2:
        if (n.queued()) model.erase(key(n));
        q.Remove(&n);
        break;
      case 3:
        if (model.empty()) {
          ASSERT_EQ(q.Pop(), nullptr);
        } else {
          ASSERT_EQ(q.Pop(), model.begin()->second) << "step " << step;
          model.erase(model.begin());
        }
        break;
    }
    ASSERT_EQ(q.size(), model.size());
    ASSERT_EQ(q.top(), model.empty() ? nullptr : model.begin()->second);
  }
  for (Node& n : nodes) EXPECT_EQ(n.queued(), model.count(key(n)) == 1);
}

}  // namespace
}  // namespace mcast::net
