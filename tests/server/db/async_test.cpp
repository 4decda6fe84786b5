// The non-blocking way to the database (async_query.hpp, Pool::acquire_async) against the test
// cluster: waiters served in order as connections come back, answers read in one or many
// pieces, SQL errors, a connection killed under a query, and a query left unfinished.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "common/db/connection.hpp"
#include "common/db/sqlstate.hpp"
#include "server/async_query.hpp"
#include "server/pool.hpp"
#include "tests/server/db/database.hpp"

using namespace ge::server;
using ge::server::testing::Database;
namespace net = boost::asio;

namespace {

PoolOptions options(const std::string& url, std::size_t size) {
  return PoolOptions{url, size, std::chrono::milliseconds(300), std::chrono::milliseconds(5000)};
}

std::shared_ptr<std::atomic<bool>> unclaimed() { return std::make_shared<std::atomic<bool>>(false); }

constexpr Statement kRows{"test_rows", "SELECT g, repeat('x', 100) FROM generate_series(1, $1::int) g", 1};
constexpr Statement kDivide{"test_divide", "SELECT 10 / $1::int", 1};
constexpr Statement kPid{"test_pid", "SELECT pg_backend_pid()", 0};
constexpr Statement kSleep{"test_sleep", "SELECT pg_sleep($1::float8)", 1};

// Runs `call` with async_query on a fresh io_context and returns what it reported.
QueryOutcome run_async(Pool& pool, const Statement& statement, SqlParams params, bool* connection_ok = nullptr) {
  auto lease = pool.acquire();
  REQUIRE(lease->is_prepared(statement.name));
  net::io_context ioc;
  std::optional<QueryOutcome> outcome;
  async_query(std::move(lease), Call{&statement, std::move(params)}, net::make_strand(ioc),
              [&](QueryOutcome&& result, Pool::Lease&& used) {
                if (connection_ok) *connection_ok = used->ok();
                outcome.emplace(std::move(result));
              });
  ioc.run();
  REQUIRE(outcome);
  return std::move(*outcome);
}

}  // namespace

TEST_CASE("async pool: at once when idle, else in order as connections come back", "[db][async]") {
  Database db("evserve_test_async_pool");
  Pool pool(options(db.url(), 1));
  const auto ignore = [](std::optional<Pool::Lease>) {};
  // Nothing open yet: opening blocks, so the caller is sent to acquire().
  CHECK(pool.acquire_async({unclaimed(), ignore}).status == Pool::AsyncAcquire::use_blocking_acquire);
  CHECK_FALSE(pool.try_acquire_idle());
  { auto opened = pool.acquire(); }
  CHECK(pool.try_acquire_idle().has_value());  // and released again at once

  auto first = pool.acquire_async({unclaimed(), ignore});
  REQUIRE(first.status == Pool::AsyncAcquire::got);
  REQUIRE(first.lease);
  CHECK(pool.stats().in_use == 1);
  CHECK_FALSE(pool.try_acquire_idle());

  // The pool is full: both wait; the first one's deadline passes (its timer claims it).
  bool expired_served = false;
  std::optional<Pool::Lease> second;
  auto expired = unclaimed();
  CHECK(pool.acquire_async({expired, [&](std::optional<Pool::Lease>) { expired_served = true; }}).status ==
        Pool::AsyncAcquire::queued);
  CHECK(pool.acquire_async({unclaimed(),
                            [&](std::optional<Pool::Lease> lease) {
                              if (lease) second.emplace(std::move(*lease));
                            }})
            .status == Pool::AsyncAcquire::queued);
  expired->store(true);
  first.lease.reset();  // released: handed straight to the live waiter
  CHECK_FALSE(expired_served);
  REQUIRE(second);
  CHECK((*second)->ok());
  CHECK(pool.stats().in_use == 1);

  // A connection that comes back broken tells the next waiter to open one itself.
  bool told = false;
  CHECK(pool.acquire_async({unclaimed(), [&](std::optional<Pool::Lease> lease) { told = !lease; }}).status ==
        Pool::AsyncAcquire::queued);
  (*second)->abandon();
  second.reset();
  CHECK(told);
  CHECK(pool.stats().open == 0);
  CHECK(pool.stats().in_use == 0);
}

TEST_CASE("async query: rows in one or many reads, SQL errors, a killed connection", "[db][async]") {
  Database db("evserve_test_async_query");
  Pool pool(options(db.url(), 1));
  {
    auto lease = pool.acquire();  // prepared the blocking way, as the workers do
    lease->run(kRows, {"1"});
    lease->run(kDivide, {"1"});
    lease->run(kSleep, {"0"});
  }

  QueryOutcome small = run_async(pool, kRows, {"3"});
  REQUIRE_FALSE(small.error);
  CHECK(small.result.rows() == 3);
  CHECK(small.result.value(2, 0) == "3");

  // About 11 MB: the answer arrives in many pieces, each waited for in turn.
  QueryOutcome big = run_async(pool, kRows, {"100000"});
  REQUIRE_FALSE(big.error);
  CHECK(big.result.rows() == 100000);
  CHECK(big.result.value(99999, 0) == "100000");
  CHECK(big.result.value(99999, 1) == std::string(100, 'x'));

  bool ok = false;
  QueryOutcome failed = run_async(pool, kDivide, {"0"}, &ok);
  REQUIRE(failed.error);
  CHECK(failed.error->sqlstate() == "22012");  // division_by_zero
  CHECK(ok);                                   // the connection is fine for the next query
  CHECK_FALSE(run_async(pool, kDivide, {"5"}).error);

  // The backend is killed (as by a database restart) between two queries.
  std::string pid;
  {
    auto lease = pool.acquire();
    pid = std::string(lease->run(kPid, {}).value(0, 0));
  }
  ge::db::Connection admin(db.url());
  admin.exec_params("SELECT pg_terminate_backend($1::int)", {pid});
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  QueryOutcome killed = run_async(pool, kRows, {"1"}, &ok);
  REQUIRE(killed.error);
  CHECK(killed.error->sqlstate() == ge::db::sqlstate::kConnectionFailure);
  CHECK_FALSE(ok);
  CHECK(pool.stats().open == 0);  // dropped, not reused
}

TEST_CASE("async query: a query left unfinished never returns its connection to use", "[db][async]") {
  Database db("evserve_test_async_abandon");
  Pool pool(options(db.url(), 1));
  {
    auto lease = pool.acquire();
    lease->run(kSleep, {"0"});
  }
  bool reported = false;
  {
    net::io_context ioc;
    async_query(pool.acquire(), Call{&kSleep, {"0.2"}}, net::make_strand(ioc),
                [&](QueryOutcome&&, Pool::Lease&&) { reported = true; });
    // ioc never runs: destroying it destroys the pending query, as a shutdown cut short does.
  }
  CHECK_FALSE(reported);
  CHECK(pool.stats().open == 0);
  CHECK(pool.stats().in_use == 0);
  auto lease = pool.acquire();  // a fresh connection, with nothing pending on it
  CHECK(lease->run(kDivide, {"2"}).value(0, 0) == "5");
}
