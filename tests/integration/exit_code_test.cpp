// Every documented exit code, and that no failure touches the live generation.
#include <catch2/catch.hpp>

#include <fstream>

#include "support.hpp"

using namespace ge::test;

TEST_CASE("exit codes and failures leave the live data alone") {
  TestDatabase db("exits");
  const auto tiny = fixtures_dir() / "tiny";
  const auto small = fixtures_dir() / "small";
  const auto rates = (tiny / "exchange_rates.jsonl").string();
  REQUIRE(run_evload({"load", "--events", (tiny / "events.jsonl").string(), "--rates", rates, "--db", db.url(), "-q",
                      "--max-reject-ratio", "1"})  // tiny is mostly rejects by design
              .exit_code == 0);
  const std::string live_run = db.scalar("SELECT run_id FROM ev_live.dataset");
  auto live_unchanged = [&] {
    REQUIRE(db.scalar("SELECT run_id FROM ev_live.dataset") == live_run);
    REQUIRE(db.scalar("SELECT count(*) FROM ev_live.users") == "4");
  };
  const auto dir = scratch_dir("exits");

  SECTION("usage error: 2") {
    auto result = run_evload({"load", "--events"});
    REQUIRE(result.exit_code == 2);
    result = run_evload({"frobnicate"});
    REQUIRE(result.exit_code == 2);
  }
  SECTION("bad rates file: 3, before the database is touched") {
    const auto bad_rates = dir / "rates.jsonl";
    std::ofstream(bad_rates)
        << "{\"currency\": \"USD\", \"rate_to_usd\": \"1\"}\n{\"currency\": \"USD\", \"rate_to_usd\": \"2\"}\n";
    const auto result = run_evload(
        {"load", "--events", (small / "events.jsonl").string(), "--rates", bad_rates.string(), "--db", db.url()});
    REQUIRE(result.exit_code == 3);
    REQUIRE_THAT(result.output, Catch::Contains(":2:") && Catch::Contains("USD"));
    REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs") == "1");
    live_unchanged();
  }
  SECTION("missing events file: 3") {
    const auto result =
        run_evload({"load", "--events", (dir / "absent.jsonl").string(), "--rates", rates, "--db", db.url()});
    REQUIRE(result.exit_code == 3);
    REQUIRE_THAT(result.output, Catch::Contains("absent.jsonl"));
    REQUIRE_THAT(result.output, Catch::Contains("evload status=bad_input mode=load exit=3"));
    live_unchanged();
    // Found before the database is touched: no run recorded, no schema made.
    REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs") == "1");
  }
  SECTION("unwritable report path: 3, found before any work") {
    const auto result = run_evload({"load", "--events", (small / "events.jsonl").string(), "--rates", rates, "--db",
                                    db.url(), "--report", (dir / "no-such-dir" / "report.json").string()});
    REQUIRE(result.exit_code == 3);
    REQUIRE_THAT(result.output, Catch::Contains("cannot write report") && Catch::Contains("no-such-dir"));
    REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs") == "1");
    live_unchanged();
  }
  SECTION("reject limit: 4, nothing made live, the run recorded as failed") {
    auto result = run_evload({"load", "--events", (small / "events.jsonl").string(), "--rates", rates, "--db", db.url(),
                              "--max-rejects", "0", "-q"});
    REQUIRE(result.exit_code == 4);
    live_unchanged();
    REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs WHERE status = 'failed' AND error LIKE 'reject limit%'") ==
            "1");
    REQUIRE(db.scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ev\\_gen\\_%'") == "0");
    result = run_evload({"check", "--events", (small / "events.jsonl").string(), "--rates", rates, "--max-reject-ratio",
                         "0.001", "-q"});
    REQUIRE(result.exit_code == 4);
  }
  SECTION("database unreachable: 5") {
    const auto result = run_evload({"load", "--events", (tiny / "events.jsonl").string(), "--rates", rates, "--db",
                                    "postgresql://postgres@127.0.0.1:1/none?connect_timeout=2", "-q"});
    REQUIRE(result.exit_code == 5);
    REQUIRE_THAT(result.output, Catch::Contains("cannot connect"));
    REQUIRE_THAT(result.output, Catch::Contains("evload status=database_error mode=load exit=5"));
  }
  SECTION("load lock held and --no-wait: 6") {
    auto holder = db.connect();
    holder.exec("SELECT pg_advisory_lock(111533575693156)");
    const auto result = run_evload(
        {"load", "--events", (small / "events.jsonl").string(), "--rates", rates, "--db", db.url(), "--no-wait", "-q"});
    REQUIRE(result.exit_code == 6);
    REQUIRE_THAT(result.output, Catch::Contains("another evload"));
    REQUIRE_THAT(result.output,
                 Catch::Contains("evload status=lock_busy mode=load exit=6"));  // no run: the lock comes first
    live_unchanged();
  }
}
