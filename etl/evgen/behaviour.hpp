#pragma once
// How one user plays: registration (which opens the first session), then sessions of
// login .. logout separated by breaks of hours, purchases while logged in, churn, and sessions
// still open when the period ends. The output is a clean, SPEC-valid history in time order.
#include <cstdint>
#include <vector>

#include "etl/evgen/event.hpp"
#include "etl/evgen/population.hpp"
#include "etl/evgen/rng.hpp"

namespace ge::evgen {

struct Session {
  std::int64_t login = 0;       // the registration's or login's timestamp
  std::int64_t logout = -1;     // -1: never closed
  std::int64_t next_login = 0;  // the next session's login, or the period's end
};

// One user's lines, reused from user to user to avoid allocations.
struct UserEvents {
  std::vector<Event> events;       // events[0] is the registration
  std::vector<Session> sessions;   // in time order
  std::size_t original_count = 0;  // events before anomalies were appended

  void clear() noexcept {
    events.clear();
    sessions.clear();
    original_count = 0;
  }
};

void simulate_user(const Population& population, std::uint64_t user, Rng& rng, UserEvents& out);

// A valid transaction (amount and currency drawn like the real file's).
Event make_transaction(Rng& rng, const Uuid& user, std::int64_t ts);

}  // namespace ge::evgen
