#include "server/queries.hpp"

#include <array>
#include <charconv>

#include "common/db/sqlstate.hpp"
#include "server/pool.hpp"

namespace ge::server {
namespace {

// Lock protocol (sql/g10_tables.sql): a statement that reads more than one ev_live table names
// ev_live.dataset first in its FROM, so that evload's swap, which locks ev_live.dataset first,
// can never deadlock with it: the statement runs wholly on the old generation or the new one.

// NUM ÷ DEN rounded to 4 decimals half away from zero, exactly: ⌊(2·10⁴·NUM + DEN) ÷ (2·DEN)⌋ ÷ 10⁴
// with div(), numeric's exact truncating division (both are never negative). round(NUM / DEN, 4)
// would round twice: numeric division keeps only about 16 significant digits. NULL when DEN is 0.
#define GE_RATIO4(NUM, DEN) "div(20000 * (" NUM ") + (" DEN "), 2 * nullif(" DEN ", 0)) * 0.0001"

// The six SPEC §5 and four §7.1 figures over game_daily rows (alias g) or game_totals rows (alias g).
#define GE_GAME_FIGURES(PAID_COLUMN, NEW_USERS_COLUMN) \
  "coalesce(sum(g.active_users), 0)::bigint, coalesce(sum(g.logins), 0)::bigint, "               \
  "round(coalesce(sum(g.revenue_usd), 0), 2), coalesce(sum(g." PAID_COLUMN "), 0)::bigint, "    \
  "coalesce(round(sum(g.sessions_counted)::numeric / nullif(sum(g.users_with_sessions), 0), 2), 0), " \
  "coalesce(round(sum(g.time_spent_seconds)::numeric / nullif(sum(g.users_with_time), 0), 2), 0), " \
  "coalesce(sum(g." NEW_USERS_COLUMN "), 0)::bigint, coalesce(sum(g.payers), 0)::bigint, "       \
  "coalesce(" GE_RATIO4("sum(g.revenue_usd)", "sum(g.active_users)") ", 0), "                    \
  "coalesce(" GE_RATIO4("sum(g.revenue_usd)", "sum(g.payers)") ", 0)"
#define GE_DAILY_FIGURES GE_GAME_FIGURES("paid_active_users", "new_users")
#define GE_TOTAL_FIGURES GE_GAME_FIGURES("paid_users", "users")

// SPEC §7.3 for K days after registration, over game_cohorts rows (alias c) of day s.day, with the
// dataset row d: retained and retention, NULL when day R + K is after the last data day (or there
// is no data: last_data_day NULL), retention also NULL for an empty cohort.
#define GE_RETAINED(K)                                                                    \
  ", CASE WHEN s.day::date + " #K " <= d.last_data_day THEN coalesce(sum(c.retained_d" #K \
  "), 0) END"                                                                             \
  ", CASE WHEN s.day::date + " #K                                                         \
  " <= d.last_data_day THEN " GE_RATIO4("sum(c.retained_d" #K ")", "sum(c.new_users)") " END"
#define GE_ISO_TIME(EXPR) "to_char((" EXPR ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define GE_USER_COLUMNS \
  "u.user_id::text, u.name, u.country::text, u.device_os, u.marketing_campaign, " GE_ISO_TIME("u.registered_at")

constexpr Statement kUserAllTime{"evserve_user_all_time",
                                 "SELECT " GE_USER_COLUMNS
                                 ", u.logins, u.sessions_counted, u.time_spent_seconds, "
                                 "d.last_data_day - u.last_login_day, "
                                 "u.transactions, round(u.revenue_usd, 2) "
                                 "FROM ev_live.dataset d JOIN ev_live.users u ON u.user_id = $1::uuid",
                                 1};

// One backward step in user_daily's primary key from the date: the newest row on or before it
// carries the user's last login day up to then, and the day's figures when it is that very day.
constexpr Statement kUserDay{
    "evserve_user_day",
    "SELECT " GE_USER_COLUMNS
    ", "
    "CASE WHEN ud.day = $2::date THEN ud.logins ELSE 0 END, "
    "CASE WHEN ud.day = $2::date THEN ud.sessions_counted ELSE 0 END, "
    "CASE WHEN ud.day = $2::date THEN ud.time_spent_seconds ELSE 0 END, "
    "$2::date - ud.last_login_day, "
    "CASE WHEN ud.day = $2::date THEN ud.transactions ELSE 0 END, "
    "CASE WHEN ud.day = $2::date THEN round(ud.revenue_usd, 2) ELSE 0.00 END "
    "FROM ev_live.dataset d JOIN ev_live.users u ON u.user_id = $1::uuid "
    "LEFT JOIN LATERAL (SELECT l.day, l.logins, l.sessions_counted, l.time_spent_seconds, "
    "l.transactions, l.revenue_usd, l.last_login_day FROM ev_live.user_daily l "
    "WHERE l.user_id = u.user_id AND l.day <= $2::date ORDER BY l.day DESC LIMIT 1) ud ON true",
    2};

constexpr Statement kGameAllTime{"evserve_game_all_time", "SELECT " GE_TOTAL_FIGURES " FROM ev_live.game_totals g", 0};
constexpr Statement kGameAllTimeCountry{
    "evserve_game_all_time_country",
    "SELECT " GE_TOTAL_FIGURES " FROM ev_live.game_totals g WHERE g.country = $1::bpchar", 1};
constexpr Statement kGameDay{"evserve_game_day",
                             "SELECT " GE_DAILY_FIGURES " FROM ev_live.game_daily g WHERE g.day = $1::date", 1};
constexpr Statement kGameDayCountry{
    "evserve_game_day_country",
    "SELECT " GE_DAILY_FIGURES " FROM ev_live.game_daily g WHERE g.day = $1::date AND g.country = $2::bpchar", 2};

// One row per country with users (game_totals), zeros included.
constexpr Statement kGameByCountryAllTime{"evserve_game_by_country_all_time",
                                          "SELECT g.country::text, " GE_TOTAL_FIGURES
                                          " FROM ev_live.game_totals g GROUP BY g.country "
                                          "ORDER BY g.country::text COLLATE \"C\"",
                                          0};
constexpr Statement kGameByCountryDay{"evserve_game_by_country_day",
                                      "SELECT t.country::text, " GE_DAILY_FIGURES
                                      " FROM ev_live.dataset d CROSS JOIN ev_live.game_totals t "
                                      "LEFT JOIN ev_live.game_daily g ON g.country = t.country AND g.day = $1::date "
                                      "GROUP BY t.country ORDER BY t.country::text COLLATE \"C\"",
                                      1};

// One row per day of [from, to], zeros included. The range on g.day (implied by the join, said
// again for the planner) makes it an index range scan of the window's rows: without it the
// planner hashed the whole table, every day of the data's history, for a 7-day window too.
constexpr Statement kGameDailyRange{"evserve_game_daily_range",
                                    "SELECT to_char(s.day, 'YYYY-MM-DD'), " GE_DAILY_FIGURES
                                    " FROM generate_series($1::date, $2::date, interval '1 day') AS s(day) "
                                    "LEFT JOIN ev_live.game_daily g ON g.day = s.day::date "
                                    "AND g.day BETWEEN $1::date AND $2::date "
                                    "GROUP BY s.day ORDER BY s.day",
                                    2};
constexpr Statement kGameDailyRangeCountry{"evserve_game_daily_range_country",
                                           "SELECT to_char(s.day, 'YYYY-MM-DD'), " GE_DAILY_FIGURES
                                           " FROM generate_series($1::date, $2::date, interval '1 day') AS s(day) "
                                           "LEFT JOIN ev_live.game_daily g "
                                           "ON g.day = s.day::date AND g.day BETWEEN $1::date AND $2::date "
                                           "AND g.country = $3::bpchar "
                                           "GROUP BY s.day ORDER BY s.day",
                                           3};

// One row per registration day of [from, to], empty cohorts included. game_cohorts holds only
// days with registrations; the dataset row says which days R + K are observable. The range on
// c.day: as for the daily series.
#define GE_RETENTION_SELECT                                                                                  \
  "SELECT to_char(s.day, 'YYYY-MM-DD'), coalesce(sum(c.new_users), 0)::bigint" GE_RETAINED(1) GE_RETAINED(3) \
      GE_RETAINED(7) GE_RETAINED(14) GE_RETAINED(                                                            \
          30) " FROM ev_live.dataset d CROSS JOIN generate_series($1::date, $2::date, interval '1 day') AS s(day) "
constexpr Statement kRetentionRange{"evserve_retention_range",
                                    GE_RETENTION_SELECT
                                    "LEFT JOIN ev_live.game_cohorts c ON c.day = s.day::date "
                                    "AND c.day BETWEEN $1::date AND $2::date "
                                    "GROUP BY s.day, d.last_data_day ORDER BY s.day",
                                    2};
constexpr Statement kRetentionRangeCountry{"evserve_retention_range_country",
                                           GE_RETENTION_SELECT
                                           "LEFT JOIN ev_live.game_cohorts c "
                                           "ON c.day = s.day::date AND c.day BETWEEN $1::date AND $2::date "
                                           "AND c.country = $3::bpchar "
                                           "GROUP BY s.day, d.last_data_day ORDER BY s.day",
                                           3};

constexpr Statement kDataset{"evserve_dataset",
                             "SELECT run_id, " GE_ISO_TIME("loaded_at") ", to_char(first_event_day, 'YYYY-MM-DD'), "
                             "to_char(last_data_day, 'YYYY-MM-DD') FROM ev_live.dataset LIMIT 1",
                             0};

constexpr Statement kLatestLoad{"evserve_latest_load",
                                "SELECT run_id, status, " GE_ISO_TIME("started_at") ", " GE_ISO_TIME("finished_at")
                                ", events_path, events_bytes, rates_path, generation_schema, evload_version, "
                                "report::text, error FROM evmeta.load_runs ORDER BY run_id DESC LIMIT 1",
                                0};

#undef GE_RETENTION_SELECT
#undef GE_RETAINED
#undef GE_RATIO4
#undef GE_USER_COLUMNS
#undef GE_ISO_TIME
#undef GE_TOTAL_FIGURES
#undef GE_DAILY_FIGURES
#undef GE_GAME_FIGURES

constexpr std::array kAllStatements{kUserAllTime,
                                    kUserDay,
                                    kGameAllTime,
                                    kGameAllTimeCountry,
                                    kGameDay,
                                    kGameDayCountry,
                                    kGameByCountryAllTime,
                                    kGameByCountryDay,
                                    kGameDailyRange,
                                    kGameDailyRangeCountry,
                                    kRetentionRange,
                                    kRetentionRangeCountry,
                                    kDataset,
                                    kLatestLoad};

std::int64_t to_int(std::string_view text) {
  std::int64_t value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    throw db::Error("unexpected integer from PostgreSQL: " + std::string(text));
  }
  return value;
}

double to_double(std::string_view text) {
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    throw db::Error("unexpected number from PostgreSQL: " + std::string(text));
  }
  return value;
}

// Money as PostgreSQL's exact numeric text (a double would round an 18-digit amount).
DecimalText to_decimal(std::string_view text) {
  auto value = DecimalText::parse(text);
  if (!value) throw db::Error("unexpected number from PostgreSQL: " + std::string(text));
  return *value;
}

std::optional<std::string> opt_text(const db::Result& r, int row, int column) {
  if (r.is_null(row, column)) return std::nullopt;
  return std::string(r.value(row, column));
}

std::optional<std::int64_t> opt_int(const db::Result& r, int row, int column) {
  if (r.is_null(row, column)) return std::nullopt;
  return to_int(r.value(row, column));
}

std::optional<double> opt_double(const db::Result& r, int row, int column) {
  if (r.is_null(row, column)) return std::nullopt;
  return to_double(r.value(row, column));
}

// Ten figure columns (GE_GAME_FIGURES) starting at `first`.
GameStats game_stats_at(const db::Result& r, int row, int first) {
  if (r.columns() < first + 10) throw db::Error("game statistics query returned too few columns");
  GameStats s;
  s.daily_active_users = to_int(r.value(row, first));
  s.logins = to_int(r.value(row, first + 1));
  s.revenue_usd = to_decimal(r.value(row, first + 2));
  s.paid_users = to_int(r.value(row, first + 3));
  s.avg_sessions_per_user = to_double(r.value(row, first + 4));
  s.avg_time_spent_seconds = to_double(r.value(row, first + 5));
  s.new_users = to_int(r.value(row, first + 6));
  s.payers = to_int(r.value(row, first + 7));
  s.arpdau_usd = to_decimal(r.value(row, first + 8));
  s.arppu_usd = to_decimal(r.value(row, first + 9));
  return s;
}

std::string day_text(DayNumber day) { return format_day(day); }

}  // namespace

std::span<const Statement> all_statements() { return kAllStatements; }

Call user_stats_call(const UserStatsQuery& query) {
  if (query.date) return {&kUserDay, {query.user_id, day_text(*query.date)}};
  return {&kUserAllTime, {query.user_id}};
}

std::optional<UserStats> query_user_stats(PooledConnection& conn, const UserStatsQuery& query) {
  const Call call = user_stats_call(query);
  return user_stats_from(conn.run(*call.statement, call.params));
}

std::optional<UserStats> user_stats_from(const db::Result& r) {
  if (r.rows() == 0) return std::nullopt;
  UserStats s;
  s.user_id = std::string(r.value(0, 0));
  s.name = opt_text(r, 0, 1);
  s.country = std::string(r.value(0, 2));
  s.device_os = std::string(r.value(0, 3));
  s.marketing_campaign = opt_text(r, 0, 4);
  s.registered_at = std::string(r.value(0, 5));
  s.logins = to_int(r.value(0, 6));
  s.sessions = to_int(r.value(0, 7));
  s.time_spent_seconds = to_int(r.value(0, 8));
  s.days_since_last_login = opt_int(r, 0, 9);
  s.transactions = to_int(r.value(0, 10));
  s.revenue_usd = to_decimal(r.value(0, 11));
  return s;
}

Call game_stats_call(std::optional<DayNumber> date, const std::optional<std::string>& country) {
  if (date && country) return {&kGameDayCountry, {day_text(*date), *country}};
  if (date) return {&kGameDay, {day_text(*date)}};
  if (country) return {&kGameAllTimeCountry, {*country}};
  return {&kGameAllTime, {}};
}

GameStats query_game_stats(PooledConnection& conn, std::optional<DayNumber> date,
                           const std::optional<std::string>& country) {
  const Call call = game_stats_call(date, country);
  return game_stats_from(conn.run(*call.statement, call.params));
}

GameStats game_stats_from(const db::Result& r) {
  if (r.rows() != 1) throw db::Error("game statistics query returned no row");
  return game_stats_at(r, 0, 0);
}

Call game_stats_by_country_call(std::optional<DayNumber> date) {
  if (date) return {&kGameByCountryDay, {day_text(*date)}};
  return {&kGameByCountryAllTime, {}};
}

std::vector<CountryGameStats> query_game_stats_by_country(PooledConnection& conn, std::optional<DayNumber> date) {
  const Call call = game_stats_by_country_call(date);
  return game_stats_by_country_from(conn.run(*call.statement, call.params));
}

std::vector<CountryGameStats> game_stats_by_country_from(const db::Result& r) {
  std::vector<CountryGameStats> rows;
  rows.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) rows.push_back({std::string(r.value(i, 0)), game_stats_at(r, i, 1)});
  return rows;
}

Call game_daily_call(const GameDailyQuery& query) {
  if (query.country) return {&kGameDailyRangeCountry, {day_text(query.from), day_text(query.to), *query.country}};
  return {&kGameDailyRange, {day_text(query.from), day_text(query.to)}};
}

std::vector<DayGameStats> query_game_daily(PooledConnection& conn, const GameDailyQuery& query) {
  const Call call = game_daily_call(query);
  return game_daily_from(conn.run(*call.statement, call.params));
}

std::vector<DayGameStats> game_daily_from(const db::Result& r) {
  std::vector<DayGameStats> rows;
  rows.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) rows.push_back({std::string(r.value(i, 0)), game_stats_at(r, i, 1)});
  return rows;
}

Call retention_call(const RetentionQuery& query) {
  if (query.country) return {&kRetentionRangeCountry, {day_text(query.from), day_text(query.to), *query.country}};
  return {&kRetentionRange, {day_text(query.from), day_text(query.to)}};
}

std::vector<RetentionRow> query_retention(PooledConnection& conn, const RetentionQuery& query) {
  const Call call = retention_call(query);
  return retention_from(conn.run(*call.statement, call.params));
}

std::vector<RetentionRow> retention_from(const db::Result& r) {
  constexpr int kColumns = 2 + 2 * static_cast<int>(kRetentionDays.size());
  if (r.rows() > 0 && r.columns() != kColumns) throw db::Error("retention query returned an unexpected row shape");
  std::vector<RetentionRow> rows;
  rows.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    RetentionRow row;
    row.date = std::string(r.value(i, 0));
    row.new_users = to_int(r.value(i, 1));
    for (std::size_t k = 0; k < kRetentionDays.size(); ++k) {
      const int column = 2 + 2 * static_cast<int>(k);
      row.retained[k] = opt_int(r, i, column);
      row.retention[k] = opt_double(r, i, column + 1);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<DatasetInfo> query_dataset(PooledConnection& conn) {
  const db::Result r = conn.run(kDataset, {});
  if (r.rows() == 0) return std::nullopt;
  DatasetInfo info;
  info.run_id = to_int(r.value(0, 0));
  info.loaded_at = std::string(r.value(0, 1));
  info.first_event_day = opt_text(r, 0, 2);
  info.last_data_day = opt_text(r, 0, 3);
  return info;
}

std::optional<LoadRun> query_latest_load(PooledConnection& conn) {
  db::Result r;
  try {
    r = conn.run(kLatestLoad, {});
  } catch (const db::Error& error) {
    if (db::sqlstate::is_missing_relation(error.sqlstate())) return std::nullopt;
    throw;
  }
  if (r.rows() == 0) return std::nullopt;
  LoadRun run;
  run.run_id = to_int(r.value(0, 0));
  run.status = std::string(r.value(0, 1));
  run.started_at = std::string(r.value(0, 2));
  run.finished_at = opt_text(r, 0, 3);
  run.events_path = std::string(r.value(0, 4));
  run.events_bytes = opt_int(r, 0, 5);
  run.rates_path = std::string(r.value(0, 6));
  run.generation_schema = std::string(r.value(0, 7));
  run.evload_version = std::string(r.value(0, 8));
  run.report_json = opt_text(r, 0, 9);
  run.error = opt_text(r, 0, 10);
  return run;
}

}  // namespace ge::server
