#include "etl/event_order.hpp"

#include <tuple>

#include "common/sort_by_key.hpp"

namespace ge {
namespace {
bool same_content(const CompactEvent& a, const CompactEvent& b, const EventStore& store) {
  if (a.user != b.user) return false;
  if (a.type() == EventType::registration) {
    return store.registrations()[a.payload].same_content(store.registrations()[b.payload], store.names());
  }
  return a.payload == b.payload;
}
}  // namespace

DeduplicationResult deduplicate_and_order_by_user(EventStore& store) {
  auto& events = store.events();
  DeduplicationResult result;
  // Within one id, SPEC order is (timestamp, rank, line): the first of each run keeps the id.
  parallel_sort_by_key_then(
      events.begin(), events.end(), [](const CompactEvent& e) { return e.event_id; },
      [](const CompactEvent& a, const CompactEvent& b) {
        return std::tie(a.time_and_rank, a.line) < std::tie(b.time_and_rank, b.line);
      });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (kept > 0 && events[kept - 1].event_id == events[i].event_id) {
      const CompactEvent& holder = events[kept - 1];
      const CompactEvent& copy = events[i];
      if (holder.time_and_rank == copy.time_and_rank && !same_content(holder, copy, store)) {
        ++result.ambiguous_same_key_duplicates;
      }
      store.reject(copy.line, Reason::duplicate_event_id, Field::event_id, copy.event_id);
      ++result.duplicates;
      continue;
    }
    events[kept++] = events[i];
  }
  events.resize(kept);
  // Each user's events in SPEC order, ties (same second and type) by id, then by line.
  parallel_sort_by_key_then(
      events.begin(), events.end(), [](const CompactEvent& e) { return e.user; },
      [](const CompactEvent& a, const CompactEvent& b) {
        return std::tie(a.time_and_rank, a.event_id, a.line) < std::tie(b.time_and_rank, b.event_id, b.line);
      });
  return result;
}

}  // namespace ge
