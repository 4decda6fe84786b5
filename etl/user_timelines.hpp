#pragma once
// SPEC §2 step 5: replays each user's events through the state machine (common/user_state.hpp),
// rejecting what it refuses and handing what it accepts to the model builder.
#include "etl/event_store.hpp"
#include "etl/model_builder.hpp"

namespace ge {

// store.events() must be ordered by user, then SPEC order (deduplicate_and_order_by_user).
void replay_user_timelines(EventStore& store, ModelBuilder& builder);

}  // namespace ge
