#include "live_digest.hpp"

#include "common/db/connection.hpp"

namespace ge::test {

LiveDigest live_digest(const std::string& url) {
  static const char* const kTables[] = {"users",      "sessions",    "transactions", "user_daily",
                                        "game_daily", "game_totals", "game_cohorts"};
  db::Connection conn(url);
  // One snapshot for every table: a swap between two statements would mix generations.
  conn.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
  LiveDigest digest;
  digest.run_id = std::string(conn.exec("SELECT run_id FROM ev_live.dataset").value(0, 0));
  for (const char* table : kTables) {
    digest.tables.emplace_back(
        conn.exec(std::string("SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM ev_live.") +
                  table + " t")
            .value(0, 0));
  }
  conn.exec("COMMIT");
  return digest;
}

}  // namespace ge::test
