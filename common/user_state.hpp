#pragma once
// SPEC §2.5: the per-user state machine.
#include <cstdint>
#include <optional>

#include "common/event_type.hpp"
#include "common/reason.hpp"

namespace ge {

enum class UserState : std::uint8_t { unregistered, logged_in, logged_out };

struct Transition {
  std::optional<Reason> rejection;  // set when the event is rejected; state is then unchanged
  UserState next;
};

constexpr Transition step(UserState state, EventType event) noexcept {
  switch (state) {
    case UserState::unregistered:
      if (event == EventType::registration) return {std::nullopt, UserState::logged_in};
      return {Reason::not_registered, state};
    case UserState::logged_in:
      switch (event) {
        case EventType::registration: return {Reason::already_registered, state};
        case EventType::login: return {Reason::already_logged_in, state};
        case EventType::logout: return {std::nullopt, UserState::logged_out};
        case EventType::transaction: return {std::nullopt, state};
      }
      break;
    case UserState::logged_out:
      switch (event) {
        case EventType::registration: return {Reason::already_registered, state};
        case EventType::login: return {std::nullopt, UserState::logged_in};
        case EventType::logout: return {Reason::not_logged_in, state};
        case EventType::transaction: return {Reason::not_logged_in, state};
      }
      break;
  }
  return {Reason::not_registered, state};  // unreachable: every enum value is handled above
}

}  // namespace ge
