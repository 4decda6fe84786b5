#pragma once
// Every SQL statement evserve runs (all parameterised, all against ev_live.* / evmeta.*) and
// the conversion of their rows into plain structs. See SPEC §4/§5/§7 for what the figures mean;
// ratios and revenue are rounded by PostgreSQL (numeric round(x, 2): half away from zero; the
// 4-decimal §7 ratios by exact integer division, see GE_RATIO4 in queries.cpp).
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/db/connection.hpp"
#include "common/decimal_text.hpp"
#include "common/utc_day.hpp"
#include "server/request_params.hpp"
#include "server/statement.hpp"

namespace ge::server {

class PooledConnection;

struct UserStats {
  std::string user_id;
  std::optional<std::string> name;
  std::string country;
  std::string device_os;
  std::optional<std::string> marketing_campaign;
  std::string registered_at;  // ISO 8601 UTC, "2010-05-08T10:00:00Z"
  std::int64_t logins = 0;
  std::optional<std::int64_t> days_since_last_login;
  std::int64_t sessions = 0;
  std::int64_t time_spent_seconds = 0;
  std::int64_t transactions = 0;
  DecimalText revenue_usd;  // exact, at cent precision (never through a double)
};

struct GameStats {
  std::int64_t daily_active_users = 0;
  std::int64_t logins = 0;
  DecimalText revenue_usd;
  std::int64_t paid_users = 0;
  double avg_sessions_per_user = 0;
  double avg_time_spent_seconds = 0;
  // SPEC §7.1; the two ratios are of the exact revenue, rounded to 4 decimals by PostgreSQL.
  std::int64_t new_users = 0;
  std::int64_t payers = 0;
  DecimalText arpdau_usd;  // money too: exact decimal text, never through a double
  DecimalText arppu_usd;
};

struct CountryGameStats {
  std::string country;
  GameStats stats;
};

struct DayGameStats {
  std::string date;
  GameStats stats;
};

// SPEC §7.3: the days after registration that retention is measured on.
inline constexpr std::array<int, 5> kRetentionDays{1, 3, 7, 14, 30};

// One registration day's cohort. nullopt: day R + K is after the last data day (not observable);
// a retention is also nullopt for an empty cohort.
struct RetentionRow {
  std::string date;
  std::int64_t new_users = 0;
  std::array<std::optional<std::int64_t>, kRetentionDays.size()> retained;
  std::array<std::optional<double>, kRetentionDays.size()> retention;
};

struct DatasetInfo {
  std::int64_t run_id = 0;
  std::string loaded_at;
  std::optional<std::string> first_event_day;
  std::optional<std::string> last_data_day;
};

struct LoadRun {
  std::int64_t run_id = 0;
  std::string status;
  std::string started_at;
  std::optional<std::string> finished_at;
  std::string events_path;
  std::optional<std::int64_t> events_bytes;
  std::string rates_path;
  std::string generation_schema;
  std::string evload_version;
  std::optional<std::string> report_json;  // the jsonb as text
  std::optional<std::string> error;
};

// query_x(conn, …) runs x_call(…)'s statement and turns the rows into the answer with x_from(…);
// the session runs the call itself without blocking (async_query.hpp) and then uses x_from.
// nullopt: no such user.
std::optional<UserStats> query_user_stats(PooledConnection& conn, const UserStatsQuery& query);
Call user_stats_call(const UserStatsQuery& query);
std::optional<UserStats> user_stats_from(const db::Result& rows);
GameStats query_game_stats(PooledConnection& conn, std::optional<DayNumber> date,
                           const std::optional<std::string>& country);
Call game_stats_call(std::optional<DayNumber> date, const std::optional<std::string>& country);
GameStats game_stats_from(const db::Result& rows);
std::vector<CountryGameStats> query_game_stats_by_country(PooledConnection& conn, std::optional<DayNumber> date);
Call game_stats_by_country_call(std::optional<DayNumber> date);
std::vector<CountryGameStats> game_stats_by_country_from(const db::Result& rows);
std::vector<DayGameStats> query_game_daily(PooledConnection& conn, const GameDailyQuery& query);
Call game_daily_call(const GameDailyQuery& query);
std::vector<DayGameStats> game_daily_from(const db::Result& rows);
std::vector<RetentionRow> query_retention(PooledConnection& conn, const RetentionQuery& query);
Call retention_call(const RetentionQuery& query);
std::vector<RetentionRow> retention_from(const db::Result& rows);
// nullopt: ev_live.dataset is empty. Throws db::Error (sqlstate::is_missing_relation) when there is no ev_live
// yet.
std::optional<DatasetInfo> query_dataset(PooledConnection& conn);
// nullopt: no load has run (or evmeta does not exist yet).
std::optional<LoadRun> query_latest_load(PooledConnection& conn);

// All statements, for tests (each $n used matches the declared parameter count).
std::span<const Statement> all_statements();

}  // namespace ge::server
