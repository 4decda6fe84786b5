#include "etl/user_timelines.hpp"

#include "common/user_state.hpp"
#include "etl/interrupt.hpp"

namespace ge {

void replay_user_timelines(EventStore& store, ModelBuilder& builder) {
  const auto& events = store.events();
  UserState state = UserState::unregistered;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if ((i & 0xFFFF) == 0) throw_if_interrupted();  // Ctrl-C answered within ~65k events
    const CompactEvent& event = events[i];
    if (i > 0 && events[i - 1].user != event.user) {
      builder.end_user();
      state = UserState::unregistered;
    }
    const Transition transition = step(state, event.type());
    if (transition.rejection) {
      store.reject(event.line, *transition.rejection, Field::none, event.event_id);
      continue;
    }
    builder.accept(event);
    state = transition.next;
  }
  if (!events.empty()) builder.end_user();
}

}  // namespace ge
