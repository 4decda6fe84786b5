#include <catch2/catch.hpp>

#include <optional>

#include "common/user_state.hpp"

using ge::EventType;
using ge::Reason;
using ge::UserState;

namespace {
struct Cell {
  UserState state;
  EventType event;
  std::optional<Reason> rejection;
  UserState next;
};
}  // namespace

TEST_CASE("the user state machine follows every cell of SPEC §2.5") {
  const Cell table[] = {
      // unregistered
      {UserState::unregistered, EventType::registration, std::nullopt, UserState::logged_in},
      {UserState::unregistered, EventType::login, Reason::not_registered, UserState::unregistered},
      {UserState::unregistered, EventType::logout, Reason::not_registered, UserState::unregistered},
      {UserState::unregistered, EventType::transaction, Reason::not_registered, UserState::unregistered},
      // logged in
      {UserState::logged_in, EventType::registration, Reason::already_registered, UserState::logged_in},
      {UserState::logged_in, EventType::login, Reason::already_logged_in, UserState::logged_in},
      {UserState::logged_in, EventType::logout, std::nullopt, UserState::logged_out},
      {UserState::logged_in, EventType::transaction, std::nullopt, UserState::logged_in},
      // logged out
      {UserState::logged_out, EventType::registration, Reason::already_registered, UserState::logged_out},
      {UserState::logged_out, EventType::login, std::nullopt, UserState::logged_in},
      {UserState::logged_out, EventType::logout, Reason::not_logged_in, UserState::logged_out},
      {UserState::logged_out, EventType::transaction, Reason::not_logged_in, UserState::logged_out},
  };
  for (const Cell& cell : table) {
    INFO("state " << static_cast<int>(cell.state) << ", event " << ge::to_string(cell.event));
    const ge::Transition t = ge::step(cell.state, cell.event);
    CHECK(t.rejection == cell.rejection);
    CHECK(t.next == cell.next);
  }
}

TEST_CASE("the state machine is usable at compile time") {
  static_assert(ge::step(UserState::unregistered, EventType::registration).next == UserState::logged_in);
  static_assert(ge::step(UserState::logged_out, EventType::logout).rejection == Reason::not_logged_in);
  SUCCEED();
}

TEST_CASE("a realistic life: register, buy, log out, log back in") {
  UserState s = UserState::unregistered;
  for (EventType e : {EventType::registration, EventType::transaction, EventType::logout, EventType::login,
                      EventType::transaction, EventType::logout}) {
    const ge::Transition t = ge::step(s, e);
    REQUIRE_FALSE(t.rejection);
    s = t.next;
  }
  CHECK(s == UserState::logged_out);
}

TEST_CASE("event type names and sort ranks follow SPEC §2.3") {
  CHECK(ge::sort_rank(EventType::registration) == 0);
  CHECK(ge::sort_rank(EventType::login) == 1);
  CHECK(ge::sort_rank(EventType::transaction) == 2);
  CHECK(ge::sort_rank(EventType::logout) == 3);
  for (EventType e : {EventType::registration, EventType::login, EventType::transaction, EventType::logout}) {
    CHECK(ge::event_type_from_string(ge::to_string(e)) == e);
  }
  CHECK_FALSE(ge::event_type_from_string("Login"));
  CHECK_FALSE(ge::event_type_from_string("purchase"));
  CHECK_FALSE(ge::event_type_from_string(""));
}

TEST_CASE("reason and field names are the SPEC's") {
  CHECK(ge::to_string(Reason::malformed_json) == "malformed_json");
  CHECK(ge::to_string(Reason::missing_field) == "missing_field");
  CHECK(ge::to_string(Reason::wrong_type) == "wrong_type");
  CHECK(ge::to_string(Reason::invalid_value) == "invalid_value");
  CHECK(ge::to_string(Reason::unknown_event_type) == "unknown_event_type");
  CHECK(ge::to_string(Reason::duplicate_event_id) == "duplicate_event_id");
  CHECK(ge::to_string(Reason::not_registered) == "not_registered");
  CHECK(ge::to_string(Reason::already_registered) == "already_registered");
  CHECK(ge::to_string(Reason::already_logged_in) == "already_logged_in");
  CHECK(ge::to_string(Reason::not_logged_in) == "not_logged_in");
  for (std::size_t i = 0; i < ge::kReasonCount; ++i) {
    const auto r = static_cast<Reason>(i);
    CHECK(ge::reason_from_string(ge::to_string(r)) == r);
  }
  CHECK_FALSE(ge::reason_from_string("nope"));
  CHECK(ge::to_string(ge::Field::none).empty());
  CHECK(ge::to_string(ge::Field::transaction_currency) == "transaction_currency");
  CHECK(ge::to_string(ge::Field::marketing_campaign) == "marketing_campaign");
  CHECK(ge::reason_has_field(Reason::unknown_event_type));
  CHECK_FALSE(ge::reason_has_field(Reason::duplicate_event_id));
  CHECK_FALSE(ge::reason_has_field(Reason::not_registered));
}
