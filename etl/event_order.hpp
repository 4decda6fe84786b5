#pragma once
// SPEC §2 steps 3 and 4: order the surviving events and reject later copies of an event_id.
#include <cstdint>

#include "etl/event_store.hpp"

namespace ge {

struct DeduplicationResult {
  std::uint64_t duplicates = 0;
  // Copies that share timestamp, type and id with the kept event but differ in content: the
  // SPEC's order cannot tell which is meant (reported, never silently chosen without a count).
  std::uint64_t ambiguous_same_key_duplicates = 0;
};

// Rejects every event whose id an earlier event (in SPEC order) holds, removes them from
// store.events(), and leaves the rest ordered by user, then SPEC order, ready for the state machine.
DeduplicationResult deduplicate_and_order_by_user(EventStore& store);

}  // namespace ge
