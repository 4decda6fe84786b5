// The prepared-statement race behind a 500 (issue 15): under a tiny statement_timeout, a PREPARE
// can take effect in PostgreSQL while the client is told it failed (the timeout fires after the
// Parse, before the Sync). The connection's bookkeeping then says "not prepared", the next
// PREPARE meets 42P05 "already exists", and every later request on that connection failed.
// Reproduced deterministically: the Parse and a statement that outlives statement_timeout go in
// one Sync segment behind the bookkeeping's back, so the timeout always fires between them.
#include <catch2/catch.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <libpq-fe.h>

#include "common/db/connection.hpp"
#include "common/db/sqlstate.hpp"
#include "server/metrics.hpp"
#include "server/query_pipeline.hpp"
#include "tests/server/db/database.hpp"

using namespace ge::server;
using ge::server::testing::Database;
namespace net = boost::asio;

namespace {

constexpr Statement kSeries{"race_series", "SELECT count(*) FROM generate_series(1, $1::int)", 1};

// PREPARE of `statement` and then a sleep longer than statement_timeout, in one Sync segment:
// the PREPARE takes effect, the sleep is cancelled by the timeout (57014). Returns the sleep's
// SQLSTATE. The pooled connection's bookkeeping never hears of the statement.
std::string prepare_then_time_out(PGconn* pg, const Statement& statement) {
  REQUIRE(PQenterPipelineMode(pg) == 1);
  const std::string name(statement.name);
  const std::string sql(statement.sql);
  REQUIRE(PQsendPrepare(pg, name.c_str(), sql.c_str(), statement.parameters, nullptr) == 1);
  REQUIRE(PQsendQueryParams(pg, "SELECT pg_sleep(0.5)", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1);
  REQUIRE(PQpipelineSync(pg) == 1);
  std::string sqlstate;
  for (int nulls = 0; nulls < 3;) {
    PGresult* result = PQgetResult(pg);
    if (result == nullptr) {
      ++nulls;
      continue;
    }
    const auto status = PQresultStatus(result);
    if (status == PGRES_FATAL_ERROR) sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    PQclear(result);
    if (status == PGRES_PIPELINE_SYNC) break;
  }
  REQUIRE(PQexitPipelineMode(pg) == 1);
  return sqlstate;
}

PoolOptions tiny_timeout(const std::string& url) {
  return PoolOptions{url, 1, std::chrono::milliseconds(2000), std::chrono::milliseconds(100)};
}

}  // namespace

TEST_CASE("prepare race: a statement PostgreSQL kept although its PREPARE was cut short is used and not prepared again",
          "[db][prepare-race]") {
  Database db("evserve_test_prepare_race");
  Pool pool(tiny_timeout(db.url()));
  {
    auto lease = pool.acquire();
    CHECK(prepare_then_time_out(lease->connection().get(), kSeries) == ge::db::sqlstate::kQueryCanceled);
    CHECK_FALSE(lease->is_prepared(kSeries.name));
    // Before the fix: "prepare failed: ERROR: prepared statement "race_series" already exists"
    // (42P05), a 500, and the same on every later use of this connection.
    const auto rows = lease->run(kSeries, {"3"});
    CHECK(rows.value(0, 0) == "3");
    CHECK(lease->is_prepared(kSeries.name));
  }
  auto again = pool.acquire();
  CHECK(again->run(kSeries, {"4"}).value(0, 0) == "4");
  CHECK(pool.stats().open == 1);  // the same connection, still in service
}

TEST_CASE("prepare race: the pipelined connection takes the statement it finds already there and runs the query",
          "[db][prepare-race][pipeline]") {
  Database db("evserve_test_prepare_race_pipeline");
  net::io_context ioc{1};
  auto work = net::make_work_guard(ioc);
  net::thread_pool workers{1};
  Pool pool(tiny_timeout(db.url()));
  Metrics metrics;
  {
    auto lease = pool.acquire();  // becomes the idle connection the pipeline takes
    CHECK(prepare_then_time_out(lease->connection().get(), kSeries) == ge::db::sqlstate::kQueryCanceled);
  }
  auto pipeline = std::make_shared<QueryPipeline>(ioc, pool, workers, metrics, 16);
  std::optional<QueryOutcome> outcome;
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!pipeline->submit(Call{&kSeries, {"5"}}, [&](QueryOutcome&& o) { outcome.emplace(std::move(o)); })) {
    REQUIRE(std::chrono::steady_clock::now() < limit);
    ioc.run_for(std::chrono::milliseconds(5));
  }
  while (!outcome) {
    REQUIRE(std::chrono::steady_clock::now() < limit);
    ioc.run_for(std::chrono::milliseconds(5));
  }
  REQUIRE_FALSE(outcome->error);
  CHECK(outcome->result.value(0, 0) == "5");
  workers.join();
  pipeline->close();
  work.reset();
  ioc.restart();
  ioc.run();
}
