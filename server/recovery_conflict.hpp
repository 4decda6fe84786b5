#pragma once
// A hot standby cancels a query that stands in the way of replaying the primary's WAL (a lock
// its replay needs: the generation swap's DROP of the retired schema; row versions a VACUUM
// removed), once max_standby_streaming_delay has passed: "canceling statement due to conflict
// with recovery", SQLSTATE 40001 (serialization_failure), or 40P01 (deadlock_detected) when the
// query held a buffer pin the replay waits for. evserve's statements are single read-only
// SELECTs, for which PostgreSQL raises neither code otherwise. The same statement run again
// after the replay has moved on succeeds, so evserve retries it (Pool::run, the session), and
// answers 503 db_unavailable if it fails again, never 500. (When the conflict ends the whole
// session, "terminating connection due to conflict with recovery", the connection is gone and
// the retry on a fresh connection covers it like any broken connection.)
#include <string_view>

namespace ge::server {

inline bool is_recovery_conflict(std::string_view sqlstate) noexcept {
  return sqlstate == "40001" || sqlstate == "40P01";
}

}  // namespace ge::server
