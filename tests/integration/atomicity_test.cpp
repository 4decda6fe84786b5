// A load is all or nothing: readers see one whole generation, a killed load changes nothing,
// and loading the same input again gives the same content.
#include <catch2/catch.hpp>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <thread>
#include <tuple>

#include "support.hpp"

using namespace ge::test;
using namespace std::chrono_literals;

namespace {
std::vector<std::string> load_args(const std::filesystem::path& events, const std::filesystem::path& rates,
                                   const std::string& url) {
  // --force: these tests swap fixtures of very different sizes on purpose (and the tiny one is
  // mostly rejects by design); the quality gates have tests of their own (safety_test.cpp).
  return {"load", "--events", events.string(), "--rates", rates.string(), "--db", url, "-q", "--force"};
}
std::filesystem::path rates_file() { return fixtures_dir() / "tiny" / "exchange_rates.jsonl"; }
std::filesystem::path fixture_events(const std::string& name) { return fixtures_dir() / name / "events.jsonl"; }

// One statement that reads several tables of the live generation at once.
constexpr const char* kSnapshotSql =
    "SELECT d.run_id, (SELECT count(*) FROM ev_live.users), "
    "(SELECT sum(users) FROM ev_live.game_totals), (SELECT count(*) FROM ev_live.sessions), "
    "(SELECT sum(logins) FROM ev_live.user_daily) FROM ev_live.dataset d";

using Snapshot = std::tuple<std::string, std::string, std::string, std::string, std::string>;
Snapshot snapshot_of(const ge::db::Result& r) {
  return {std::string(r.value(0, 0)), std::string(r.value(0, 1)), std::string(r.value(0, 2)),
          std::string(r.value(0, 3)), std::string(r.value(0, 4))};
}
}  // namespace

TEST_CASE("a killed load leaves the previous generation live") {
  TestDatabase db("killed");
  REQUIRE(run_evload(load_args(fixture_events("tiny"), rates_file(), db.url())).exit_code == 0);
  const std::string live_run = db.scalar("SELECT run_id FROM ev_live.dataset");
  REQUIRE(db.scalar("SELECT count(*) FROM ev_live.users") == "4");

  const auto dir = scratch_dir("killed");
  const auto big = dir / "big.jsonl";
  write_synthetic_events(big, 60000, 1000000);

  // kill -9 while the COPY is streaming rows into the new generation.
  const pid_t pid = start_evload(load_args(big, rates_file(), db.url()), (dir / "out.txt").string());
  auto conn = db.connect();
  bool copying = false;
  for (auto deadline = std::chrono::steady_clock::now() + 120s; std::chrono::steady_clock::now() < deadline;) {
    if (copy_under_way(conn)) {
      copying = true;
      break;
    }
    std::this_thread::sleep_for(2ms);
  }
  ::kill(pid, SIGKILL);
  REQUIRE(wait_for(pid) == -1);
  REQUIRE(copying);

  // The previous generation is untouched and answers as before.
  REQUIRE(db.scalar("SELECT run_id FROM ev_live.dataset") == live_run);
  REQUIRE(db.scalar("SELECT count(*) FROM ev_live.users") == "4");
  REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs WHERE status = 'running'") == "1");

  // The next load cleans up what the killed one left and succeeds.
  REQUIRE(run_evload(load_args(big, rates_file(), db.url())).exit_code == 0);
  REQUIRE(db.scalar("SELECT count(*) FROM ev_live.users") == "60000");
  REQUIRE(db.scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ev\\_gen\\_%'") == "0");
  REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs WHERE status = 'failed' AND error LIKE 'interrupted%'") ==
          "1");
}

TEST_CASE("readers during a reload see one whole generation") {
  TestDatabase db("readers");
  REQUIRE(run_evload(load_args(fixture_events("tiny"), rates_file(), db.url())).exit_code == 0);

  std::atomic<bool> stop{false};
  std::atomic<long> errors{0};
  std::atomic<long> reads{0};
  std::mutex seen_mutex;
  std::map<std::string, Snapshot> seen;  // run_id → what every read of that generation returned
  std::vector<std::string> inconsistencies;
  auto record = [&](const Snapshot& s) {
    std::lock_guard lock(seen_mutex);
    auto [it, inserted] = seen.emplace(std::get<0>(s), s);
    if (!inserted && it->second != s) inconsistencies.push_back("run " + std::get<0>(s) + " changed under a reader");
    if (std::get<1>(s) != std::get<2>(s)) inconsistencies.push_back("users and game_totals disagree in one read");
  };
  std::vector<std::thread> readers;
  readers.reserve(2);
  // One reader with plain queries, one with a prepared statement (as evserve does).
  for (int prepared = 0; prepared < 2; ++prepared) {
    readers.emplace_back([&, prepared] {
      auto conn = db.connect_reader();  // as evserve reads: the read-only role
      if (prepared) conn.prepare("snapshot", kSnapshotSql, 0);
      while (!stop) {
        try {
          auto r = prepared ? conn.exec_prepared("snapshot", {}) : conn.exec(kSnapshotSql);
          record(snapshot_of(r));
          ++reads;
        } catch (const std::exception& e) {
          ++errors;
          std::lock_guard lock(seen_mutex);
          inconsistencies.push_back(e.what());
        }
      }
    });
  }
  std::string last_run;
  for (int reload = 0; reload < 6; ++reload) {
    const auto events = fixture_events(reload % 2 == 0 ? "small" : "tiny");
    const auto result = run_evload(load_args(events, rates_file(), db.url()));
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    last_run = db.scalar("SELECT run_id FROM ev_live.dataset");
  }
  // After the last swap the readers see the last generation.
  const long reads_at_end = reads;
  while (reads < reads_at_end + 10) std::this_thread::sleep_for(1ms);
  stop = true;
  for (auto& reader : readers) reader.join();

  INFO((inconsistencies.empty() ? std::string("none") : inconsistencies.front()));
  REQUIRE(errors == 0);
  REQUIRE(inconsistencies.empty());
  REQUIRE(seen.size() >= 2);
  auto conn = db.connect();
  REQUIRE(std::get<0>(snapshot_of(conn.exec(kSnapshotSql))) == last_run);
}

TEST_CASE("a rerun of the same input gives the same content") {
  TestDatabase db("rerun");
  const std::string digest_sql = "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM ev_live.";
  const std::vector<std::string> tables{"users",      "sessions",    "transactions", "user_daily",
                                        "game_daily", "game_totals", "game_cohorts"};
  std::vector<std::string> first, second;
  REQUIRE(run_evload(load_args(fixture_events("small"), rates_file(), db.url())).exit_code == 0);
  for (const auto& table : tables) first.push_back(db.scalar(digest_sql + table + " t"));
  const auto first_days = db.scalar("SELECT first_event_day || ' ' || last_data_day FROM ev_live.dataset");
  REQUIRE(run_evload(load_args(fixture_events("small"), rates_file(), db.url())).exit_code == 0);
  for (const auto& table : tables) second.push_back(db.scalar(digest_sql + table + " t"));
  REQUIRE(first == second);
  REQUIRE(db.scalar("SELECT first_event_day || ' ' || last_data_day FROM ev_live.dataset") == first_days);
  REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs WHERE status = 'succeeded'") == "2");
}

TEST_CASE("two reading threads find exactly what one finds") {
  const auto dir = scratch_dir("threads");
  const auto big = dir / "big.jsonl";
  // Valid events plus every fixture's lines (anomalies, duplicates across the split) appended.
  write_synthetic_events(big, 40000, 5000000);
  {
    std::ofstream out(big, std::ios::app | std::ios::binary);
    for (const auto& fixture : fixture_dirs()) out << read_file(fixture / "events.jsonl") << "\n";
  }
  auto report_of = [&](const std::string& threads) {
    const auto path = dir / ("report-" + threads + ".json");
    const auto result = run_evload({"check", "--events", big.string(), "--rates", rates_file().string(), "--report",
                                    path.string(), "--read-threads", threads, "-q"});
    REQUIRE(result.exit_code == 0);
    auto report = read_json(path).as_object();
    for (const char* timing : {"phase_seconds", "seconds_total", "events_per_second", "peak_rss_bytes"})
      report.erase(timing);
    return report;
  };
  const auto one = report_of("1");
  const auto two = report_of("2");
  REQUIRE(one.at("lines_total").as_int64() > 400000);
  REQUIRE(one == two);
}

TEST_CASE("a database failure mid-load leaves the previous generation live") {
  TestDatabase db("dbfailure");
  REQUIRE(run_evload(load_args(fixture_events("tiny"), rates_file(), db.url())).exit_code == 0);
  const std::string live_run = db.scalar("SELECT run_id FROM ev_live.dataset");
  const auto dir = scratch_dir("dbfailure");
  const auto big = dir / "big.jsonl";
  write_synthetic_events(big, 60000, 1000000);

  // The server ends every session of the loader mid-COPY, as a restart or an operator would.
  const pid_t pid = start_evload(load_args(big, rates_file(), db.url()), (dir / "out.txt").string());
  auto conn = db.connect();
  int terminated = 0;
  for (auto deadline = std::chrono::steady_clock::now() + 120s;
       terminated == 0 && std::chrono::steady_clock::now() < deadline;) {
    if (copy_under_way(conn)) {
      auto killed = conn.exec(
          "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
          "WHERE datname = current_database() AND pid <> pg_backend_pid()");
      terminated = std::stoi(std::string(killed.value(0, 0)));
    }
    std::this_thread::sleep_for(2ms);
  }
  REQUIRE(terminated > 0);
  REQUIRE(wait_for(pid) == 5);
  INFO(read_file(dir / "out.txt"));
  REQUIRE_THAT(read_file(dir / "out.txt"), Catch::Contains("previous data (if any) is still live"));

  REQUIRE(db.scalar("SELECT run_id FROM ev_live.dataset") == live_run);
  REQUIRE(db.scalar("SELECT count(*) FROM ev_live.users") == "4");
  // The failed run says so, and left no half-built generation behind.
  REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs WHERE status = 'failed'") == "1");
  REQUIRE(db.scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ev\\_gen\\_%'") == "0");
}

TEST_CASE("two loads at once are serialised by the load lock") {
  TestDatabase db("twoloads");
  const auto dir = scratch_dir("twoloads");
  const auto big = dir / "big.jsonl";
  write_synthetic_events(big, 30000, 2000000);
  const pid_t first = start_evload(load_args(big, rates_file(), db.url()), (dir / "first.txt").string());
  const pid_t second =
      start_evload(load_args(fixture_events("small"), rates_file(), db.url()), (dir / "second.txt").string());
  const int first_exit = wait_for(first);
  const int second_exit = wait_for(second);
  INFO(read_file(dir / "first.txt") + read_file(dir / "second.txt"));
  REQUIRE(first_exit == 0);
  REQUIRE(second_exit == 0);
  // Both succeeded, one after the other: neither started before the other had finished.
  REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs WHERE status = 'succeeded'") == "2");
  REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs a JOIN evmeta.load_runs b ON a.run_id < b.run_id "
                    "WHERE b.started_at < a.finished_at") == "0");
  // The live data is wholly the last run's.
  const std::string last = db.scalar("SELECT max(run_id) FROM evmeta.load_runs");
  REQUIRE(db.scalar("SELECT run_id FROM ev_live.dataset") == last);
  const std::string users = db.scalar("SELECT count(*) FROM ev_live.users");
  REQUIRE((users == "30000" || users == "295"));
  REQUIRE(db.scalar("SELECT sum(users) FROM ev_live.game_totals") == users);
  // Each run's summary line says what it did.
  REQUIRE_THAT(read_file(dir / "first.txt"), Catch::Contains("evload status=ok mode=load"));
}

TEST_CASE("load_runs keeps the newest runs only") {
  TestDatabase db("keepruns");
  for (int i = 0; i < 4; ++i) {
    auto args = load_args(fixture_events("tiny"), rates_file(), db.url());
    args.insert(args.end(), {"--keep-runs", "2"});
    REQUIRE(run_evload(args).exit_code == 0);
  }
  REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs") == "2");
  REQUIRE(db.scalar("SELECT min(run_id) FROM evmeta.load_runs") == "3");
}
