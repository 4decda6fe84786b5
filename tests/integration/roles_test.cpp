// The roles of sql/roles.sql: evload needs no more than ev_loader, and ev_reader — the role of
// evserve — reads every generation a load makes and can change nothing.
#include <catch2/catch.hpp>

#include <barrier>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/sql_files.hpp"
#include "support.hpp"

using namespace ge::test;

namespace {

// The SQLSTATE a statement fails with, or "" when it succeeds.
std::string failure_of(ge::db::Connection& conn, const std::string& sql) {
  try {
    conn.exec(sql);
    return "";
  } catch (const ge::db::Error& e) {
    return e.sqlstate();
  }
}

constexpr const char* kReadOnlyTransaction = "25006";
constexpr const char* kInsufficientPrivilege = "42501";

}  // namespace

TEST_CASE("the reader role reads every generation and cannot write") {
  TestDatabase db("roles");
  const auto tiny = fixtures_dir() / "tiny";
  const auto rates = (tiny / "exchange_rates.jsonl").string();
  const auto expected_users = std::to_string(read_json(tiny / "report.json").at("users").as_int64());

  // Two loads as ev_loader: the second renames and drops what the first made, so the loader owns
  // everything it needs without being a superuser.
  for (int load = 0; load < 2; ++load) {
    const auto result = run_evload({"load", "--events", (tiny / "events.jsonl").string(), "--rates", rates, "--db",
                                    db.url(), "-q", "--max-reject-ratio", "1"});  // tiny is mostly rejects by design
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
  }
  REQUIRE(db.scalar("SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user") == "false");

  auto reader = db.connect_reader();
  SECTION("reads the live generation, made after the roles were granted, and the load reports") {
    REQUIRE(std::string(reader.exec("SELECT count(*) FROM ev_live.users").value(0, 0)) == expected_users);
    REQUIRE(std::string(reader.exec("SELECT count(*) FROM ev_live.game_totals").value(0, 0)) != "0");
    REQUIRE(std::string(reader.exec("SELECT count(*) FROM evmeta.load_runs WHERE status = 'succeeded'").value(0, 0)) ==
            "2");
  }
  SECTION("its sessions are read-only by default") {
    REQUIRE(failure_of(reader, "INSERT INTO ev_live.users SELECT * FROM ev_live.users LIMIT 1") ==
            kReadOnlyTransaction);
    REQUIRE(failure_of(reader, "CREATE TABLE ev_live.intruder (x int)") == kReadOnlyTransaction);
  }
  SECTION("and lack the privileges even in a read-write transaction") {
    reader.exec("SET default_transaction_read_only = off");
    REQUIRE(failure_of(reader, "INSERT INTO ev_live.users SELECT * FROM ev_live.users LIMIT 1") ==
            kInsufficientPrivilege);
    REQUIRE(failure_of(reader, "UPDATE ev_live.game_totals SET users = 0") == kInsufficientPrivilege);
    REQUIRE(failure_of(reader, "DELETE FROM evmeta.load_runs") == kInsufficientPrivilege);
    REQUIRE(failure_of(reader, "TRUNCATE ev_live.sessions") == kInsufficientPrivilege);
    REQUIRE(failure_of(reader, "DROP TABLE ev_live.transactions") == kInsufficientPrivilege);
    REQUIRE(failure_of(reader, "ALTER SCHEMA ev_live RENAME TO ev_mine") == kInsufficientPrivilege);
    REQUIRE(failure_of(reader, "CREATE TABLE ev_live.intruder (x int)") == kInsufficientPrivilege);
    REQUIRE(failure_of(reader, "CREATE TABLE public.intruder (x int)") == kInsufficientPrivilege);
    REQUIRE(failure_of(reader, "CREATE SCHEMA intruder") == kInsufficientPrivilege);
    REQUIRE(std::string(reader.exec("SELECT count(*) FROM ev_live.users").value(0, 0)) == expected_users);
  }
}

// Roles are cluster-wide, so roles.sql run in several databases at once (parallel tests, or an
// operator setting up two databases together) touches the same catalog rows from every session;
// without its lock, some of them failed with "tuple concurrently updated".
TEST_CASE("roles.sql runs in several databases at once without a conflict") {
  constexpr int kDatabases = 8;
  constexpr int kRounds = 6;
  std::vector<std::unique_ptr<TestDatabase>> databases;
  databases.reserve(kDatabases);
  for (int i = 0; i < kDatabases; ++i) databases.push_back(std::make_unique<TestDatabase>("roles_race"));
  const std::string roles_sql(ge::sql_file("roles.sql"));

  std::vector<std::string> failures;
  std::mutex failures_mutex;
  for (int round = 0; round < kRounds; ++round) {
    std::barrier start_together(kDatabases);
    std::vector<std::thread> sessions;
    sessions.reserve(databases.size());
    for (const auto& database : databases) {
      sessions.emplace_back([&, url = database->superuser_url()] {
        bool arrived = false;
        try {
          ge::db::Connection superuser(url);
          superuser.exec("SET client_min_messages = warning");
          arrived = true;
          start_together.arrive_and_wait();
          superuser.exec(roles_sql);
        } catch (const std::exception& e) {
          if (!arrived) start_together.arrive_and_drop();  // the others must not wait for it
          const std::lock_guard lock(failures_mutex);
          failures.push_back("round " + std::to_string(round) + ": " + e.what());
        }
      });
    }
    for (auto& session : sessions) session.join();
  }
  INFO((failures.empty() ? std::string() : failures.front()));
  REQUIRE(failures.empty());
  // And the result is the one a single run gives.
  for (const auto& database : databases) {
    auto reader = database->connect_reader();
    REQUIRE(std::string(reader.exec("SHOW default_transaction_read_only").value(0, 0)) == "on");
  }
}
