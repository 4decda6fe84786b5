// SPEC §7 against a real PostgreSQL: the §7.1 figures of the game statistics (exact revenue,
// 4 decimals half away from zero), the daily series with its zero days, the retention cohorts'
// null rules, and the format=csv download through the router.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <string>

#include "common/db/connection.hpp"
#include "common/sql_files.hpp"
#include "common/utc_day.hpp"
#include "server/metrics.hpp"
#include "server/pool.hpp"
#include "server/queries.hpp"
#include "server/router.hpp"
#include "tests/server/db/database.hpp"

using namespace ge::server;
using ge::db::Connection;
using ge::server::testing::Database;

namespace {

// DE: 3 users registered on 2010-05-08, 2 of them back on 05-09, 1 on 05-11; US: 1 user
// registered on 05-08, back on 05-09. Revenue is chosen so that the ratios sit on a rounding edge.
// last_data_day: NULL for a generation with no data.
void make_generation(Connection& conn, const char* last_data_day) {
  conn.exec("SET client_min_messages = warning; CREATE SCHEMA ev_live; SET search_path = ev_live");
  conn.exec(ge::sql_file("g10_tables.sql"));
  // day, country, active_users, paid_active_users, logins, sessions_counted, users_with_sessions,
  // time_spent_seconds, users_with_time, transactions, revenue_usd, new_users, payers
  conn.exec(
      "INSERT INTO game_daily VALUES ('2010-05-08', 'DE', 3, 1, 4, 2, 2, 100, 2, 2, 1.00005, 3, 2);"
      "INSERT INTO game_daily VALUES ('2010-05-08', 'US', 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0);"
      "INSERT INTO game_daily VALUES ('2010-05-09', 'DE', 2, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0);"
      "INSERT INTO game_daily VALUES ('2010-05-09', 'US', 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0);"
      "INSERT INTO game_daily VALUES ('2010-05-11', 'DE', 1, 0, 1, 0, 0, 0, 0, 1, 0.00005, 0, 1);"
      // country, users, paid_users, active_users, logins, sessions_counted, users_with_sessions,
      // time_spent_seconds, users_with_time, transactions, revenue_usd, payers
      "INSERT INTO game_totals VALUES ('DE', 3, 1, 3, 7, 2, 2, 100, 2, 3, 1.0001, 2);"
      "INSERT INTO game_totals VALUES ('US', 1, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0);"
      // day, country, new_users, retained_d1, d3, d7, d14, d30
      "INSERT INTO game_cohorts VALUES ('2010-05-08', 'DE', 3, 2, 1, 0, 0, 0);"
      "INSERT INTO game_cohorts VALUES ('2010-05-08', 'US', 1, 1, 0, 0, 0, 0);");
  conn.exec(std::string("INSERT INTO dataset VALUES (1, now(), ") + (last_data_day ? "'2010-05-08'" : "NULL") + ", " +
            (last_data_day ? "'" + std::string(last_data_day) + "'" : "NULL") + ")");
  conn.exec(ge::sql_file("g20_indexes.sql"));
  conn.exec("SET search_path = public");
}

PoolOptions options(const std::string& url) {
  return PoolOptions{url, 1, std::chrono::milliseconds(300), std::chrono::milliseconds(5000)};
}

// A database of its own holding the generation above, and a one-connection pool over it.
struct AnalyticsDatabase {
  AnalyticsDatabase(const std::string& name, const char* last_data_day)
      : db(name), pool(options_over_generation(db.url(), last_data_day)) {}
  static PoolOptions options_over_generation(const std::string& url, const char* last_data_day) {
    Connection admin(url);
    make_generation(admin, last_data_day);
    return options(url);
  }
  Database db;
  Pool pool;
};

GameDailyQuery range(const char* from, const char* to, std::optional<std::string> country = std::nullopt) {
  return GameDailyQuery{*ge::parse_day(from), *ge::parse_day(to), std::move(country), ResponseFormat::json};
}

}  // namespace

TEST_CASE("§7.1: new users, payers and the ratios of the exact revenue", "[db][analytics]") {
  AnalyticsDatabase data("evserve_test_analytics_stats", "2010-05-11");
  auto lease = data.pool.acquire();

  const auto day = query_game_stats(*lease, ge::parse_day("2010-05-08"), std::nullopt);
  CHECK(day.new_users == 4);
  CHECK(day.payers == 2);
  CHECK(day.arpdau_usd.text() == "0.25");  // 1.00005 / 4 = 0.2500125
  CHECK(day.arppu_usd.text() == "0.5");    // 1.00005 / 2 = 0.500025
  const auto de = query_game_stats(*lease, ge::parse_day("2010-05-08"), std::string("DE"));
  CHECK(de.arpdau_usd.text() == "0.3334");  // 1.00005 / 3 = 0.33335 exactly: half away from zero
  CHECK(de.revenue_usd.text() == "1.0");    // cents
  const auto edge = query_game_stats(*lease, ge::parse_day("2010-05-11"), std::nullopt);
  CHECK(edge.arpdau_usd.text() == "0.0001");  // 0.00005: half away from zero, not to even
  CHECK(edge.arppu_usd.text() == "0.0001");
  const auto empty = query_game_stats(*lease, ge::parse_day("2010-05-10"), std::nullopt);
  CHECK(empty.new_users == 0);
  CHECK(empty.arpdau_usd.text() == "0.0");  // no active user: 0, not an error
  CHECK(empty.arppu_usd.text() == "0.0");

  const auto all = query_game_stats(*lease, std::nullopt, std::nullopt);
  CHECK(all.new_users == 4);  // all time: all users
  CHECK(all.payers == 2);
  CHECK(all.arpdau_usd.text() == "0.25");   // 1.0001 / 4 = 0.250025
  CHECK(all.arppu_usd.text() == "0.5001");  // 1.0001 / 2 = 0.50005
  const auto by_country = query_game_stats_by_country(*lease, ge::parse_day("2010-05-11"));
  REQUIRE(by_country.size() == 2);
  CHECK(by_country[0].stats.payers == 1);
  CHECK(by_country[1].country == "US");
  CHECK(by_country[1].stats.payers == 0);
}

TEST_CASE("§7.2: the daily series has a row for every day, zeros included", "[db][analytics]") {
  AnalyticsDatabase data("evserve_test_analytics_daily", "2010-05-11");
  auto lease = data.pool.acquire();

  const auto rows = query_game_daily(*lease, range("2010-05-07", "2010-05-11"));
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].date == "2010-05-07");
  CHECK(rows[0].stats.daily_active_users == 0);
  CHECK(rows[1].stats.new_users == 4);
  CHECK(rows[1].stats.arpdau_usd.text() == "0.25");
  CHECK(rows[3].date == "2010-05-10");
  CHECK(rows[3].stats.logins == 0);
  CHECK(rows[4].stats.payers == 1);
  const auto us = query_game_daily(*lease, range("2010-05-08", "2010-05-09", "US"));
  REQUIRE(us.size() == 2);
  CHECK(us[0].stats.new_users == 1);
  CHECK(us[1].stats.daily_active_users == 1);
  CHECK(query_game_daily(*lease, range("2010-01-01", "2011-01-01")).size() == 366);
}

TEST_CASE("§7.3: retention, null after the last data day and for empty cohorts", "[db][analytics]") {
  AnalyticsDatabase data("evserve_test_analytics_retention", "2010-05-11");
  auto lease = data.pool.acquire();

  const auto rows = query_retention(*lease, range("2010-05-07", "2010-05-11"));
  REQUIRE(rows.size() == 5);
  // 05-07: an empty cohort; R+1 and R+3 observable → 0 retained, retention null; R+7 is not.
  CHECK(rows[0].new_users == 0);
  CHECK(rows[0].retained[0] == 0);
  CHECK_FALSE(rows[0].retention[0].has_value());
  CHECK(rows[0].retained[1] == 0);
  CHECK_FALSE(rows[0].retained[2].has_value());
  // 05-08: 4 users, 3 back on 05-09, 1 on 05-11 (R+3 is the last data day itself: observable).
  CHECK(rows[1].new_users == 4);
  CHECK(rows[1].retained[0] == 3);
  CHECK(rows[1].retention[0] == 0.75);
  CHECK(rows[1].retained[1] == 1);
  CHECK(rows[1].retention[1] == 0.25);
  for (std::size_t k = 2; k < kRetentionDays.size(); ++k) {
    CHECK_FALSE(rows[1].retained[k].has_value());
    CHECK_FALSE(rows[1].retention[k].has_value());
  }
  // 05-11, the last data day: nothing after it is observable.
  CHECK_FALSE(rows[4].retained[0].has_value());
  const auto de = query_retention(*lease, range("2010-05-08", "2010-05-08", "DE"));
  REQUIRE(de.size() == 1);
  CHECK(de[0].retention[0] == 0.6667);  // 2/3
  CHECK(de[0].retention[1] == 0.3333);
  const auto xx = query_retention(*lease, range("2010-05-08", "2010-05-08", "XX"));
  CHECK(xx[0].new_users == 0);
  CHECK(xx[0].retained[0] == 0);
  CHECK_FALSE(xx[0].retention[0].has_value());
}

TEST_CASE("§7.3: with no data at all every retained figure is null", "[db][analytics]") {
  AnalyticsDatabase data("evserve_test_analytics_nodata", nullptr);
  auto lease = data.pool.acquire();
  const auto rows = query_retention(*lease, range("2010-05-01", "2010-05-03"));
  REQUIRE(rows.size() == 3);
  for (const auto& row : rows) {
    for (std::size_t k = 0; k < kRetentionDays.size(); ++k) {
      CHECK_FALSE(row.retained[k].has_value());
      CHECK_FALSE(row.retention[k].has_value());
    }
  }
}

TEST_CASE("format=csv through the router: a named download, and 400s before any query", "[db][analytics]") {
  AnalyticsDatabase data("evserve_test_analytics_csv", "2010-05-11");
  Pool& pool = data.pool;
  Metrics metrics;
  Services services{pool, metrics};
  const auto get = [&](const char* target) {
    auto resolution = resolve(http::verb::get, target);
    if (auto* reply = std::get_if<Reply>(&resolution.outcome)) return *reply;
    return run(std::get<ResolvedRequest>(resolution.outcome), services, Clock::now() + std::chrono::seconds(5));
  };
  const auto header = [](const Reply& reply, std::string_view name) {
    for (const auto& [key, value] : reply.headers) {
      if (key == name) return value;
    }
    return std::string();
  };

  Reply reply = get("/v1/game/retention?from=2010-05-08&to=2010-05-09&format=csv");
  CHECK(reply.status == http::status::ok);
  CHECK(reply.content_type == "text/csv; charset=utf-8");
  CHECK(header(reply, "Content-Disposition") == "attachment; filename=\"retention_2010-05-08_2010-05-09.csv\"");
  CHECK(reply.body ==
        "date,new_users,retained_d1,retention_d1,retained_d3,retention_d3,retained_d7,retention_d7,"
        "retained_d14,retention_d14,retained_d30,retention_d30\r\n"
        "2010-05-08,4,3,0.75,1,0.25,,,,,,\r\n"
        "2010-05-09,0,0,,,,,,,,,\r\n");

  reply = get("/v1/game/daily?from=2010-05-08&to=2010-05-08&country=DE&format=csv");
  CHECK(header(reply, "Content-Disposition") == "attachment; filename=\"game-daily_2010-05-08_2010-05-08_DE.csv\"");
  CHECK(reply.body.ends_with("\r\n2010-05-08,3,4,1.0,1,1.0,50.0,3,2,0.3334,0.5\r\n"));

  reply = get("/v1/game/stats?group_by=country&format=csv");
  CHECK(header(reply, "Content-Disposition") == "attachment; filename=\"game-stats-by-country_all-time.csv\"");
  CHECK(reply.body.starts_with("country,daily_active_users,"));

  reply = get("/v1/game/retention?from=2010-05-08&to=2010-05-09");
  CHECK(reply.content_type == "application/json");
  CHECK(header(reply, "Content-Disposition").empty());
  CHECK(boost::json::parse(reply.body).as_array().size() == 2);

  reply = get("/v1/game/retention?from=2010-05-08&to=2010-05-09&format=xlsx");
  CHECK(reply.status == http::status::bad_request);
  CHECK(boost::json::parse(reply.body).at("parameter") == "format");
}
