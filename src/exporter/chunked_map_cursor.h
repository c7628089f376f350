#ifndef MCAST_EXPORTER_CHUNKED_MAP_CURSOR_H_
#define MCAST_EXPORTER_CHUNKED_MAP_CURSOR_H_

// Walks a std::map a few entries at a time, with the map free to change
// between two steps, so that a long walk (a scrape copying the views of
// thousands of probes) can be split into short pieces with other work (the
// probe loop's packets) in between.
//
// The cursor is the last key visited, not an iterator: each step looks it
// up afresh (upper_bound), so it never touches an entry that was erased
// meanwhile (a SIGHUP reload frees probes). An entry erased before the walk
// reached it is not visited, one inserted after the cursor is, one inserted
// before it is not; no key is visited twice. Entries come in key order.
//
// Each step must run under whatever guards the map (the exporter's mutex);
// entries of one step are seen at one instant, different steps at
// different instants.

#include <cstddef>
#include <iterator>
#include <optional>

namespace mcast::exporter {

template <typename Key>
class ChunkedMapCursor {
 public:
  // Calls `visit(key, value)` for up to `count` (at least 1) entries after
  // the cursor. True when the walk reached the end of `map`.
  template <typename Map, typename Visit>
  bool Step(const Map& map, size_t count, Visit&& visit) {
    if (count == 0) count = 1;
    auto it = last_ ? map.upper_bound(*last_) : map.begin();
    for (size_t n = 0; n < count && it != map.end(); ++n, ++it) {
      visit(it->first, it->second);
    }
    if (it == map.end()) return true;
    last_ = std::prev(it)->first;  // Copied while the entry is alive.
    return false;
  }

 private:
  std::optional<Key> last_;  // Nothing visited yet: from the beginning.
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_CHUNKED_MAP_CURSOR_H_
