#pragma once
// The SQLSTATEs the programs act on, by their PostgreSQL names (Appendix A, "PostgreSQL Error
// Codes"), and the predicates that group them. One vocabulary instead of codes typed by hand.
#include <string_view>

namespace ge::db::sqlstate {

// Class 08, connection exception.
inline constexpr std::string_view kConnectionException = "08000";  // db::Connection: could not connect
inline constexpr std::string_view kConnectionFailure = "08006";    // a connection that broke under us
// Class 26, invalid SQL statement name: the prepared statement is not there (DISCARD ALL by a pooler).
inline constexpr std::string_view kInvalidSqlStatementName = "26000";
// Class 3F, invalid schema name: no ev_live before the first load.
inline constexpr std::string_view kInvalidSchemaName = "3F000";
// Class 40, transaction rollback (from a read-only SELECT: a hot standby's recovery conflict).
inline constexpr std::string_view kSerializationFailure = "40001";
inline constexpr std::string_view kDeadlockDetected = "40P01";
// Class 42.
inline constexpr std::string_view kUndefinedTable = "42P01";
inline constexpr std::string_view kDuplicatePreparedStatement = "42P05";
// Class 55, object not in prerequisite state.
inline constexpr std::string_view kLockNotAvailable = "55P03";
// Class 57, operator intervention.
inline constexpr std::string_view kQueryCanceled = "57014";  // statement_timeout
inline constexpr std::string_view kAdminShutdown = "57P01";  // a fast shutdown (a standby stopped)
inline constexpr std::string_view kCrashShutdown = "57P02";
inline constexpr std::string_view kCannotConnectNow = "57P03";  // starting up or shutting down

// The connection, not the statement, failed: class 08 (and the 08006 the pool and the pipeline
// give a connection that broke), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
// cannot_connect_now. evserve's statements are single read-only SELECTs, so the same statement
// run on a fresh connection (another host of a multi-host string, or the same server once it is
// back) can succeed.
inline bool is_connection_lost(std::string_view code) noexcept {
  return code.starts_with("08") || code == kAdminShutdown || code == kCrashShutdown || code == kCannotConnectNow;
}

// A hot standby cancels a query that stands in the way of replaying the primary's WAL (a lock
// its replay needs: the generation swap's DROP of the retired schema; row versions a VACUUM
// removed), once max_standby_streaming_delay has passed: "canceling statement due to conflict
// with recovery", 40001 (serialization_failure), or 40P01 (deadlock_detected) when the query
// held a buffer pin the replay waits for. PostgreSQL raises neither code otherwise for a single
// read-only SELECT. The same statement run again after the replay has moved on succeeds. (When
// the conflict ends the whole session, "terminating connection due to conflict with recovery",
// the connection is gone: is_connection_lost covers it.)
inline bool is_recovery_conflict(std::string_view code) noexcept {
  return code == kSerializationFailure || code == kDeadlockDetected;
}

// The serving schema or one of its tables is not there (no load has completed yet).
inline bool is_missing_relation(std::string_view code) noexcept {
  return code == kInvalidSchemaName || code == kUndefinedTable;
}

// The database is not reachable or not accepting work right now (a 503, not a 500): no SQLSTATE
// at all (libpq failed before the server answered), class 08, class 53 (insufficient resources:
// too many connections, out of memory or disk), class 57P (shutting down or starting), a
// recovery conflict, and lock_not_available.
inline bool is_unavailable(std::string_view code) noexcept {
  return code.empty() || code.starts_with("08") || code.starts_with("53") || code.starts_with("57P") ||
         is_recovery_conflict(code) || code == kLockNotAvailable;
}

}  // namespace ge::db::sqlstate
