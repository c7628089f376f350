#include "net/deadline_queue.h"

namespace mcast::net {

void DeadlineQueue::Place(size_t i, Node* node) {
  heap_[i] = node;
  node->index = i;
}

size_t DeadlineQueue::SiftUp(size_t i) {
  Node* node = heap_[i];
  while (i > 0) {
    const size_t parent = (i - 1) / 2;
    if (!Before(node, heap_[parent])) break;
    Place(i, heap_[parent]);
    i = parent;
  }
  Place(i, node);
  return i;
}

size_t DeadlineQueue::SiftDown(size_t i) {
  Node* node = heap_[i];
  const size_t n = heap_.size();
  while (true) {
    size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && Before(heap_[child + 1], heap_[child])) ++child;
    if (!Before(heap_[child], node)) break;
    Place(i, heap_[child]);
    i = child;
  }
  Place(i, node);
  return i;
}

void DeadlineQueue::Schedule(Node* node, int64_t deadline) {
  node->deadline = deadline;
  // A new order even when moving: a re-armed timer queues behind the ones
  // already waiting for the same instant.
  node->order = next_order_++;
  if (!node->queued()) {
    heap_.push_back(node);
    node->index = heap_.size() - 1;
    SiftUp(node->index);
    return;
  }
  // The key may have moved either way; only one of the two moves it.
  const size_t i = node->index;
  if (SiftUp(i) == i) SiftDown(i);
}

void DeadlineQueue::RemoveAt(size_t i) {
  Node* removed = heap_[i];
  Node* last = heap_.back();
  heap_.pop_back();
  removed->index = kNotQueued;
  if (last == removed) return;
  Place(i, last);
  if (SiftUp(i) == i) SiftDown(i);
}

void DeadlineQueue::Remove(Node* node) {
  if (node->queued()) RemoveAt(node->index);
}

DeadlineQueue::Node* DeadlineQueue::Pop() {
  Node* node = top();
  if (node != nullptr) RemoveAt(0);
  return node;
}

}  // namespace mcast::net
