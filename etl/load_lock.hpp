#pragma once
// The load lock: one session advisory lock per database, so loads and rollbacks never interleave.
// Waiting for it is polled (not a blocking pg_advisory_lock) so that a waiting evload can say who
// holds it and since when, and still stop at once on Ctrl-C or SIGTERM.
#include <functional>
#include <optional>
#include <string>

#include "common/db/connection.hpp"

namespace ge {

// pg_advisory_lock key of every load into a database: a fixed, project-wide number (docs name it
// so operators can find the holder in pg_locks); never change it, or old and new evloads overlap.
inline constexpr const char* kLoadLockKey = "111533575693156";

// Thrown when --no-wait is given and another evload holds the load lock.
class LockBusy : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Who holds the lock, as pg_locks and pg_stat_activity say ("pid 4242 (evload, user ev_loader,
// connected 2026-12-05 08:10:00 UTC)"); nullopt when the holder is not visible.
std::optional<std::string> load_lock_holder(db::Connection& conn);

// Takes the lock. Without `wait` throws LockBusy naming the holder. With it, polls: `on_wait` is
// called once when the wait starts (with the holder) and the run's interrupt check between polls.
void take_load_lock(db::Connection& conn, bool wait, const std::function<void(const std::string& holder)>& on_wait);

}  // namespace ge
