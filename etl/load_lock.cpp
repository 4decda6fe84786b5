#include "etl/load_lock.hpp"

#include <chrono>
#include <thread>

#include "etl/interrupt.hpp"

namespace ge {

std::optional<std::string> load_lock_holder(db::Connection& conn) {
  // A bigint advisory key is stored as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
  auto result = conn.exec(
      std::string("SELECT l.pid, coalesce(nullif(a.application_name, ''), '?'), coalesce(a.usename::text, '?'), "
                  "coalesce(to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '?'), "
                  "coalesce(extract(epoch FROM now() - a.backend_start)::bigint::text, '?') "
                  "FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
                  "WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE "
                  "datname = current_database()) "
                  "AND l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = ") +
      kLoadLockKey + " LIMIT 1");
  if (result.rows() == 0) return std::nullopt;
  return "pid " + std::string(result.value(0, 0)) + " (" + std::string(result.value(0, 1)) + ", user " +
         std::string(result.value(0, 2)) + ", connected since " + std::string(result.value(0, 3)) + " UTC, " +
         std::string(result.value(0, 4)) + " s ago)";
}

void take_load_lock(db::Connection& conn, bool wait, const std::function<void(const std::string& holder)>& on_wait) {
  const std::string try_lock = std::string("SELECT pg_try_advisory_lock(") + kLoadLockKey + ")";
  bool announced = false;
  for (;;) {
    if (conn.exec(try_lock).value(0, 0) == "t") return;
    const std::string holder = load_lock_holder(conn).value_or("a session this role cannot see");
    if (!wait) {
      throw LockBusy("another evload is loading into this database (the load lock is held by " + holder +
                     "); rerun without --no-wait to wait for it");
    }
    if (!announced && on_wait) on_wait(holder);
    announced = true;
    // Short steps so Ctrl-C is answered within a quarter of a second.
    for (int i = 0; i < 4; ++i) {
      throw_if_interrupted();
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    throw_if_interrupted();
  }
}

}  // namespace ge
