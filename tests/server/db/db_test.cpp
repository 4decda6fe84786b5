// evserve against a real PostgreSQL (the CTest fixture "postgres"; GE_TEST_PG_URL names its
// maintenance database): the pool's bound, timeout and reconnect, re-preparing after a reset,
// the schema swap evload does, and 503 no_data before any load.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "common/db/connection.hpp"
#include "common/sql_files.hpp"
#include "server/metrics.hpp"
#include "server/pool.hpp"
#include "server/queries.hpp"
#include "server/router.hpp"
#include "tests/server/db/database.hpp"

using namespace ge::server;
using ge::db::Connection;
using ge::server::testing::Database;

namespace {

// One generation of the serving tables in `schema` with one game_totals row whose logins are
// `logins` (and its dataset row).
void make_generation(Connection& conn, const std::string& schema, int logins) {
  conn.exec("SET client_min_messages = warning; CREATE SCHEMA " + schema + "; SET search_path = " + schema);
  conn.exec(ge::sql_file("g10_tables.sql"));
  conn.exec("INSERT INTO game_totals VALUES ('DE', 1, 0, 1, " + std::to_string(logins) +
            ", 1, 1, 10, 1, 0, 1.005, 0);"
            "INSERT INTO dataset VALUES (" +
            std::to_string(logins) +
            ", now(), '2010-05-08', '2010-05-10');"
            "SET search_path = public");
}

constexpr Statement kBackendPid{"test_backend_pid", "SELECT pg_backend_pid()", 0};

std::string backend_pid(PooledConnection& conn) { return std::string(conn.run(kBackendPid, {}).value(0, 0)); }

void terminate(const std::string& url, const std::string& pid) {
  Connection admin(url);
  admin.exec_params("SELECT pg_terminate_backend($1::int)", {pid});
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

PoolOptions options(const std::string& url, std::size_t size = 2) {
  return PoolOptions{url, size, std::chrono::milliseconds(300), std::chrono::milliseconds(5000)};
}

}  // namespace

TEST_CASE("pool: lazy, bounded, reused", "[db]") {
  Database db("evserve_test_pool");
  Pool pool(options(db.url(), 2));
  CHECK(pool.stats().open == 0);
  std::string first;
  {
    auto lease = pool.acquire();
    first = backend_pid(*lease);
    CHECK(pool.stats().in_use == 1);
  }
  CHECK(pool.stats().in_use == 0);
  CHECK(pool.stats().open == 1);
  auto a = pool.acquire();
  CHECK(backend_pid(*a) == first);  // the idle connection is reused
  auto b = pool.acquire();
  CHECK(pool.stats().open == 2);

  const auto start = Clock::now();
  CHECK_THROWS_AS(pool.acquire(Clock::now() + std::chrono::milliseconds(150)), PoolTimeout);
  CHECK(Clock::now() - start >= std::chrono::milliseconds(140));
  CHECK(pool.stats().acquire_timeouts == 1);
  CHECK_THROWS_AS(pool.acquire(Clock::now() - std::chrono::milliseconds(1)), PoolTimeout);  // deadline passed

  // A waiter gets the connection released by another thread.
  std::thread releaser([lease = std::move(b)]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto drop = std::move(lease);
  });
  CHECK_NOTHROW(pool.acquire(Clock::now() + std::chrono::seconds(2)));
  releaser.join();
}

TEST_CASE("pool: a killed connection is replaced and statements prepared again", "[db]") {
  Database db("evserve_test_reconnect");
  Pool pool(options(db.url(), 1));
  std::string pid;
  {
    auto lease = pool.acquire();
    pid = backend_pid(*lease);
  }
  terminate(db.url(), pid);  // as after a database restart
  // run() notices the broken connection and retries once on a fresh one.
  const auto fresh =
      pool.run(Clock::now() + std::chrono::seconds(2), [](PooledConnection& c) { return backend_pid(c); });
  CHECK(fresh != pid);
  CHECK(pool.stats().query_errors == 1);

  // PQreset path: the same PooledConnection comes back usable, its prepared statements redone.
  auto lease = pool.acquire();
  terminate(db.url(), backend_pid(*lease));
  CHECK_THROWS_AS(backend_pid(*lease), ge::db::Error);
  CHECK_FALSE(lease->ok());
  REQUIRE(lease->revive());
  CHECK(lease->ok());
  CHECK_NOTHROW(backend_pid(*lease));
}

TEST_CASE("pool: after every connection is killed the first run() still succeeds", "[db]") {
  // A restart kills all the pool's connections at once and libpq notices only on use: the retry
  // must not pick another dead one.
  Database db("evserve_test_all_killed");
  Pool pool(options(db.url(), 3));
  std::vector<std::string> pids;
  {
    auto a = pool.acquire();
    auto b = pool.acquire();
    auto c = pool.acquire();
    for (const auto* lease : {&a, &b, &c}) pids.push_back(backend_pid(**lease));
  }
  REQUIRE(pool.stats().open == 3);
  for (const auto& pid : pids) terminate(db.url(), pid);
  const auto fresh =
      pool.run(Clock::now() + std::chrono::seconds(2), [](PooledConnection& c) { return backend_pid(c); });
  CHECK(std::find(pids.begin(), pids.end(), fresh) == pids.end());
  CHECK(pool.stats().query_errors == 1);  // one dead connection tried, not two
  CHECK(pool.stats().open == 1);
}

TEST_CASE("a database that cannot be reached is 503 db_unavailable", "[db]") {
  Database db("evserve_test_gone");
  Pool pool(PoolOptions{db.url() + "_missing", 1, std::chrono::milliseconds(200), std::chrono::milliseconds(1000)});
  Metrics metrics;
  Services services{pool, metrics};
  auto resolution = resolve(http::verb::get, "/v1/game/stats");
  const Reply reply =
      run(std::get<ResolvedRequest>(resolution.outcome), services, Clock::now() + std::chrono::seconds(1));
  CHECK(reply.status == http::status::service_unavailable);
  CHECK(boost::json::parse(reply.body).at("error") == "db_unavailable");
}

TEST_CASE("before any load: 503 no_data, readyz not ready", "[db]") {
  Database db("evserve_test_nodata");
  Pool pool(options(db.url()));
  Metrics metrics;
  Services services{pool, metrics};
  const auto get = [&](const char* target) {
    auto resolution = resolve(http::verb::get, target);
    return run(std::get<ResolvedRequest>(resolution.outcome), services, Clock::now() + std::chrono::seconds(1));
  };
  for (const char* target : {"/v1/game/stats", "/v1/game/stats?group_by=country",
                             "/v1/users/a1a1a1a1-683b-11ee-aca7-8699b86be788/stats?date=2010-05-08",
                             "/v1/game/daily?from=2010-05-01&to=2010-05-02"}) {
    INFO(target);
    const Reply reply = get(target);
    CHECK(reply.status == http::status::service_unavailable);
    CHECK(boost::json::parse(reply.body).at("error") == "no_data");
  }
  Reply reply = get("/readyz");
  CHECK(reply.status == http::status::service_unavailable);
  CHECK(boost::json::parse(reply.body).at("reason") == "no_data");
  reply = get("/v1/loads/latest");
  CHECK(reply.status == http::status::not_found);  // evmeta does not exist either

  // The first load appears without a restart.
  Connection conn(db.url());
  make_generation(conn, "ev_live", 7);
  reply = get("/readyz");
  CHECK(reply.status == http::status::ok);
  reply = get("/v1/game/stats");
  CHECK(reply.status == http::status::ok);
  CHECK(boost::json::parse(reply.body).at("logins").as_int64() == 7);
}

TEST_CASE("prepared statements follow the schema swap", "[db]") {
  Database db("evserve_test_swap");
  Connection admin(db.url());
  make_generation(admin, "ev_live", 1);
  Pool pool(options(db.url(), 1));
  auto lease = pool.acquire();
  CHECK(query_game_stats(*lease, std::nullopt, std::nullopt).logins == 1);
  CHECK(query_game_stats(*lease, std::nullopt, std::string("DE")).revenue_usd.text() == "1.01");  // half away from zero

  // As evload does: build the next generation aside, rename both in one transaction, and keep
  // the old one (not dropped) for a while.
  make_generation(admin, "ev_next", 2);
  admin.exec("BEGIN; ALTER SCHEMA ev_live RENAME TO ev_old; ALTER SCHEMA ev_next RENAME TO ev_live; COMMIT");
  CHECK(query_game_stats(*lease, std::nullopt, std::nullopt).logins == 2);
  CHECK(query_dataset(*lease)->run_id == 2);
  admin.exec("DROP SCHEMA ev_old CASCADE");
  CHECK(query_game_stats(*lease, std::nullopt, std::nullopt).logins == 2);
}

TEST_CASE("connections are read-only", "[db]") {
  Database db("evserve_test_readonly");
  Pool pool(options(db.url(), 1));
  auto lease = pool.acquire();
  constexpr Statement kWrite{"test_write", "CREATE TABLE should_fail (x int)", 0};
  try {
    lease->run(kWrite, {});
    FAIL("a write succeeded");
  } catch (const ge::db::Error& error) {
    CHECK(error.sqlstate() == "25006");  // read_only_sql_transaction
  }
}
