// The pipelined connection (query_pipeline.hpp) against the test cluster: many queries in one
// write with their answers in order, an error that fails its query only, PREPARE in the
// pipeline (and again after it failed), a backend killed under queries, the depth bound, close().
#include <catch2/catch.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <csignal>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/db/connection.hpp"
#include "common/db/sqlstate.hpp"
#include "server/metrics.hpp"
#include "server/query_pipeline.hpp"
#include "tests/server/db/database.hpp"

using namespace ge::server;
using ge::server::testing::Database;
namespace net = boost::asio;

namespace {

constexpr Statement kRows{"pipeline_rows", "SELECT g FROM generate_series(1, $1::int) g", 1};
constexpr Statement kDivide{"pipeline_divide", "SELECT 10 / $1::int", 1};
constexpr Statement kPid{"pipeline_pid", "SELECT pg_backend_pid()::text", 0};
constexpr Statement kSleep{"pipeline_sleep", "SELECT pg_sleep($1::float8)", 1};
constexpr Statement kLater{"pipeline_later", "SELECT count(*) FROM pipeline_later_table", 0};

// A sample's value in Prometheus text ("name value" at the start of a line).
double metric(const Metrics& metrics, const Pool& pool, const std::string& name) {
  const std::string text = metrics.render(pool.stats());
  const auto at = text.find('\n' + name + ' ');
  REQUIRE(at != std::string::npos);
  return std::stod(text.substr(at + name.size() + 2));
}

// A pipeline on an io_context of its own, run by the test thread, with one database worker.
struct Rig {
  explicit Rig(const std::string& url, std::size_t depth = 64,
               std::chrono::milliseconds statement_timeout = std::chrono::milliseconds(5000))
      : pool(PoolOptions{url, 2, std::chrono::milliseconds(2000), statement_timeout}),
        pipeline(std::make_shared<QueryPipeline>(ioc, pool, workers, metrics, depth)) {}
  ~Rig() {
    workers.join();
    pipeline->close();
    // What is still queued (a lease being handed over) runs now, while the pool is there.
    work.reset();
    ioc.restart();
    ioc.run();
  }
  Rig(const Rig&) = delete;
  Rig& operator=(const Rig&) = delete;

  // Runs the io_context until `done` holds (or fails the test after 10 s).
  void run_until(const std::function<bool()>& done) {
    const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done()) {
      REQUIRE(std::chrono::steady_clock::now() < limit);
      ioc.run_for(std::chrono::milliseconds(5));
    }
  }

  // Submits; the first submits are declined while the connection is opened on the worker.
  void submit(const Statement& statement, SqlParams params, std::function<void(QueryOutcome&&)> done) {
    run_until([&] { return pipeline->submit(Call{&statement, params}, done); });
  }

  QueryOutcome one(const Statement& statement, SqlParams params) {
    std::optional<QueryOutcome> outcome;
    submit(statement, std::move(params), [&](QueryOutcome&& o) { outcome.emplace(std::move(o)); });
    run_until([&] { return outcome.has_value(); });
    return std::move(*outcome);
  }

  net::io_context ioc{1};
  net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(ioc);
  net::thread_pool workers{1};
  Pool pool;
  Metrics metrics;
  std::shared_ptr<QueryPipeline> pipeline;
};

}  // namespace

TEST_CASE("query pipeline: many queries in one write, answers in order, an error fails its query only",
          "[db][pipeline]") {
  Database db("evserve_test_pipeline_order");
  Rig rig(db.url());
  // The first use of each statement prepares it in the pipeline, just before the query.
  QueryOutcome first = rig.one(kRows, {"2"});
  REQUIRE_FALSE(first.error);
  CHECK(first.result.rows() == 2);
  CHECK_FALSE(rig.one(kDivide, {"5"}).error);
  CHECK(metric(rig.metrics, rig.pool, "evserve_db_pipelines_connected") == 1);
  CHECK(rig.pool.stats().in_use == 1);  // the pipeline holds its connection

  const double batches_before = metric(rig.metrics, rig.pool, "evserve_db_pipeline_batches_total");
  const double queries_before = metric(rig.metrics, rig.pool, "evserve_db_pipeline_queries_total");
  std::vector<int> order;
  std::map<int, QueryOutcome> outcomes;
  constexpr int kQueries = 20;
  for (int i = 1; i <= kQueries; ++i) {
    const bool divide_by_zero = i == 10;
    const Call call = divide_by_zero ? Call{&kDivide, {"0"}} : Call{&kRows, {std::to_string(i)}};
    REQUIRE(rig.pipeline->submit(call, [&, i](QueryOutcome&& o) {
      order.push_back(i);
      outcomes.emplace(i, std::move(o));
    }));
  }
  CHECK(metric(rig.metrics, rig.pool, "evserve_db_pipeline_in_flight") == kQueries);
  rig.run_until([&] { return outcomes.size() == kQueries; });

  std::vector<int> expected;
  for (int i = 1; i <= kQueries; ++i) expected.push_back(i);
  CHECK(order == expected);
  for (int i = 1; i <= kQueries; ++i) {
    const QueryOutcome& o = outcomes.at(i);
    if (i == 10) {
      REQUIRE(o.error);
      CHECK(o.error->sqlstate() == "22012");  // division_by_zero, and no other query is touched
      continue;
    }
    REQUIRE_FALSE(o.error);
    REQUIRE(o.result.rows() == i);
    CHECK(o.result.value(i - 1, 0) == std::to_string(i));
  }
  // Submitted in one go, they went out in one write.
  CHECK(metric(rig.metrics, rig.pool, "evserve_db_pipeline_batches_total") == batches_before + 1);
  CHECK(metric(rig.metrics, rig.pool, "evserve_db_pipeline_queries_total") == queries_before + kQueries);
  CHECK(metric(rig.metrics, rig.pool, "evserve_db_pipeline_in_flight") == 0);
}

TEST_CASE("query pipeline: a failed PREPARE fails its query with its error and is tried again next time",
          "[db][pipeline]") {
  Database db("evserve_test_pipeline_prepare");
  Rig rig(db.url());
  // No table yet, as before evload's first load: the query gets PREPARE's error.
  QueryOutcome missing = rig.one(kLater, {});
  REQUIRE(missing.error);
  CHECK(missing.error->sqlstate() == ge::db::sqlstate::kUndefinedTable);
  // The connection is fine, and the statement is prepared on its next use once the table exists.
  CHECK_FALSE(rig.one(kDivide, {"2"}).error);
  ge::db::Connection admin(db.url());
  admin.exec("CREATE TABLE pipeline_later_table (x int); INSERT INTO pipeline_later_table VALUES (1), (2)");
  QueryOutcome found = rig.one(kLater, {});
  REQUIRE_FALSE(found.error);
  CHECK(found.result.value(0, 0) == "2");
}

TEST_CASE("query pipeline: a killed backend fails the queries in it with 08006, then a new connection serves",
          "[db][pipeline]") {
  Database db("evserve_test_pipeline_killed");
  Rig rig(db.url());
  CHECK_FALSE(rig.one(kSleep, {"0"}).error);
  const std::string pid(rig.one(kPid, {}).result.value(0, 0));

  std::vector<QueryOutcome> failed;
  for (int i = 0; i < 3; ++i) {
    REQUIRE(rig.pipeline->submit(Call{&kSleep, {"2"}}, [&](QueryOutcome&& o) { failed.push_back(std::move(o)); }));
  }
  rig.ioc.run_for(std::chrono::milliseconds(100));  // sent; the first one sleeps in the backend
  ge::db::Connection admin(db.url());
  admin.exec_params("SELECT pg_terminate_backend($1::int)", {pid});
  rig.run_until([&] { return failed.size() == 3; });
  for (const auto& o : failed) {
    REQUIRE(o.error);
    CHECK(o.error->sqlstate() == ge::db::sqlstate::kConnectionFailure);  // run again on a fresh connection
  }
  CHECK(metric(rig.metrics, rig.pool, "evserve_db_pipelines_connected") == 0);
  CHECK(rig.pool.stats().in_use == 0);

  // The next submits are declined until another connection is in, which then answers.
  QueryOutcome after = rig.one(kPid, {});
  REQUIRE_FALSE(after.error);
  CHECK(std::string(after.result.value(0, 0)) != pid);
}

TEST_CASE("query pipeline: declines past its depth, and close() gives the connection back calling nothing",
          "[db][pipeline]") {
  Database db("evserve_test_pipeline_depth");
  Rig rig(db.url(), 2);
  CHECK_FALSE(rig.one(kSleep, {"0"}).error);
  int called = 0;
  CHECK(rig.pipeline->submit(Call{&kSleep, {"0.3"}}, [&](QueryOutcome&&) { ++called; }));
  CHECK(rig.pipeline->submit(Call{&kSleep, {"0.3"}}, [&](QueryOutcome&&) { ++called; }));
  CHECK_FALSE(rig.pipeline->submit(Call{&kSleep, {"0"}}, [&](QueryOutcome&&) { ++called; }));
  rig.ioc.run_for(std::chrono::milliseconds(50));
  rig.pipeline->close();
  CHECK(called == 0);
  CHECK(rig.pool.stats().in_use == 0);
  CHECK(rig.pool.stats().open == 0);  // queries were left in it: closed, never reused
  CHECK_FALSE(rig.pipeline->submit(Call{&kSleep, {"0"}}, [&](QueryOutcome&&) { ++called; }));
  // The pool hands out a clean connection afterwards.
  auto lease = rig.pool.acquire();
  CHECK(lease->run(kDivide, {"2"}).value(0, 0) == "5");
}

TEST_CASE("query pipeline: answers in many reads, and no second PREPARE of a statement on its way", "[db][pipeline]") {
  Database db("evserve_test_pipeline_reads");
  Rig rig(db.url());
  std::optional<QueryOutcome> first;
  rig.submit(kRows, {"1"}, [&](QueryOutcome&& o) { first.emplace(std::move(o)); });
  // Its PREPARE is sent with it: the same statement waits (declined) until that is answered.
  CHECK_FALSE(rig.pipeline->submit(Call{&kRows, {"1"}}, [](QueryOutcome&&) {}));
  rig.run_until([&] { return first.has_value(); });
  REQUIRE_FALSE(first->error);

  // Five answers of 50,000 rows (about 2 MB together) arrive over many reads of the socket.
  std::vector<QueryOutcome> big;
  for (int i = 0; i < 5; ++i) {
    REQUIRE(rig.pipeline->submit(Call{&kRows, {std::to_string(50000 + i)}},
                                 [&](QueryOutcome&& o) { big.push_back(std::move(o)); }));
  }
  rig.run_until([&] { return big.size() == 5; });
  for (int i = 0; i < 5; ++i) {
    REQUIRE_FALSE(big[static_cast<std::size_t>(i)].error);
    const auto& rows = big[static_cast<std::size_t>(i)].result;
    REQUIRE(rows.rows() == 50000 + i);
    CHECK(rows.value(rows.rows() - 1, 0) == std::to_string(50000 + i));
  }
}

TEST_CASE("query pipeline: behind a slow query it declines, and gives up a backend that never answers",
          "[db][pipeline]") {
  Database db("evserve_test_pipeline_slow");
  // statement_timeout 200 ms: a backend that has not answered after 200 ms + 5 s is given up.
  Rig rig(db.url(), 64, std::chrono::milliseconds(200));
  CHECK_FALSE(rig.one(kSleep, {"0"}).error);
  const std::string pid(rig.one(kPid, {}).result.value(0, 0));

  std::optional<QueryOutcome> slow;
  REQUIRE(rig.pipeline->submit(Call{&kSleep, {"0.15"}}, [&](QueryOutcome&& o) { slow.emplace(std::move(o)); }));
  rig.ioc.run_for(QueryPipeline::kSlowQuery + std::chrono::milliseconds(20));
  if (!slow) CHECK_FALSE(rig.pipeline->submit(Call{&kPid, {}}, [](QueryOutcome&&) {}));
  rig.run_until([&] { return slow.has_value(); });
  CHECK_FALSE(slow->error);
  CHECK_FALSE(rig.one(kPid, {}).error);  // taken again once the slow one is answered

  // A silent database host: the backend is stopped (SIGSTOP), so not even statement_timeout ends
  // the query. The watchdog gives the connection up and fails the queries in it with 08006.
  const pid_t backend = static_cast<pid_t>(std::stol(pid));
  if (::kill(backend, SIGSTOP) != 0) {
    WARN("cannot stop the backend (not root, nor its user): the watchdog is not tested");
    return;
  }
  std::optional<QueryOutcome> stuck;
  const auto sent = std::chrono::steady_clock::now();
  REQUIRE(rig.pipeline->submit(Call{&kPid, {}}, [&](QueryOutcome&& o) { stuck.emplace(std::move(o)); }));
  rig.run_until([&] { return stuck.has_value(); });
  const auto waited = std::chrono::steady_clock::now() - sent;
  ::kill(backend, SIGCONT);
  REQUIRE(stuck->error);
  CHECK(stuck->error->sqlstate() == ge::db::sqlstate::kConnectionFailure);
  CHECK(waited >= std::chrono::milliseconds(200) + QueryPipeline::kUnansweredGrace);
  CHECK(metric(rig.metrics, rig.pool, "evserve_db_pipelines_connected") == 0);
  QueryOutcome after = rig.one(kPid, {});  // a new connection
  REQUIRE_FALSE(after.error);
  CHECK(std::string(after.result.value(0, 0)) != pid);
}
