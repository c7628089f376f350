#ifndef MCAST_NET_DEADLINE_QUEUE_H_
#define MCAST_NET_DEADLINE_QUEUE_H_

// The earliest-deadline-first queue behind the event loop's timers: an
// indexed binary min-heap of nodes the caller owns. Each node knows its
// position in the heap, so moving or removing any node is O(log n) without
// searching for it, and nothing is allocated once the heap has grown to
// its largest size (the steady state of a sender re-arming its deadline for
// every packet). Equal deadlines leave in the order they were scheduled, so
// timers armed for the same instant fire first come, first served.
//
// The queue never owns or frees a node; a node must be removed before it
// is destroyed.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mcast::net {

class DeadlineQueue {
 public:
  struct Node {
    int64_t deadline = 0;
    // Tie-break for equal deadlines: the scheduling order.
    uint64_t order = 0;
    // Position in the heap; kNotQueued while not scheduled.
    size_t index = kNotQueued;

    bool queued() const { return index != kNotQueued; }
  };
  static constexpr size_t kNotQueued = static_cast<size_t>(-1);

  // Queues `node` at `deadline`, or moves it there if it is queued already.
  void Schedule(Node* node, int64_t deadline);
  // Takes `node` out of the queue; a node that is not queued is left alone.
  void Remove(Node* node);
  // The node with the earliest deadline, nullptr when empty.
  Node* top() const { return heap_.empty() ? nullptr : heap_.front(); }
  // Removes and returns top(); nullptr when empty.
  Node* Pop();

  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }

 private:
  static bool Before(const Node* a, const Node* b) {
    return a->deadline != b->deadline ? a->deadline < b->deadline
                                      : a->order < b->order;
  }
  void Place(size_t i, Node* node);
  // Both return the node's final index.
  size_t SiftUp(size_t i);
  size_t SiftDown(size_t i);
  void RemoveAt(size_t i);

  std::vector<Node*> heap_;
  uint64_t next_order_ = 0;
};

}  // namespace mcast::net

#endif  // MCAST_NET_DEADLINE_QUEUE_H_
