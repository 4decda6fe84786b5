#include "etl/event_order.hpp"

#include <algorithm>
#include <thread>
#include <tuple>

namespace ge {
namespace {
// Two cores sort twice as fast as one; the merge is linear.
template <class Compare>
void parallel_sort(std::vector<CompactEvent>& events, Compare compare) {
  constexpr std::size_t kParallelThreshold = 1u << 16;
  if (events.size() < kParallelThreshold || std::thread::hardware_concurrency() < 2) {
    std::sort(events.begin(), events.end(), compare);
    return;
  }
  const auto middle = events.begin() + static_cast<std::ptrdiff_t>(events.size() / 2);
  std::thread first_half([&] { std::sort(events.begin(), middle, compare); });
  std::sort(middle, events.end(), compare);
  first_half.join();
  std::inplace_merge(events.begin(), middle, events.end(), compare);
}

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
  parallel_sort(events, [](const CompactEvent& a, const CompactEvent& b) {
    return std::tie(a.event_id, a.time_and_rank, a.line) < std::tie(b.event_id, b.time_and_rank, b.line);
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
  parallel_sort(events, [](const CompactEvent& a, const CompactEvent& b) {
    return std::tie(a.user, a.time_and_rank, a.event_id, a.line) <
           std::tie(b.user, b.time_and_rank, b.event_id, b.line);
  });
  return result;
}

}  // namespace ge
