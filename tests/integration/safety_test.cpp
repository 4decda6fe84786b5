// Issue 15, evload's side: a bad file never replaces good data (quality gates), the previous data
// can be made live again (rollback, under reader traffic), a signal stops a load cleanly, no
// password is ever printed or stored, and every usage error exits 2.
#include <catch2/catch.hpp>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "support.hpp"

using namespace ge::test;
using namespace std::chrono_literals;

namespace {
std::filesystem::path fixture(const std::string& name, const char* file) { return fixtures_dir() / name / file; }

std::vector<std::string> load_of(const std::string& fixture_name, const std::string& url,
                                 std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"load",
                                "--events",
                                fixture(fixture_name, "events.jsonl").string(),
                                "--rates",
                                fixture(fixture_name, "exchange_rates.jsonl").string(),
                                "--db",
                                url,
                                "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// The small fixture with 99 bad lines after each of its lines: 99 % rejects.
std::filesystem::path mostly_bad_file(const std::filesystem::path& dir) {
  auto path = dir / "mostly-bad.jsonl";
  std::ifstream in(fixture("small", "events.jsonl"), std::ios::binary);
  std::ofstream out(path, std::ios::binary);
  std::string line;
  int kept = 0;
  while (std::getline(in, line) && kept < 200) {
    out << line << '\n';
    ++kept;
    for (int i = 0; i < 99; ++i) out << "{\"event_id\": \"not a number\", \"event_type\": 7}\n";
  }
  return path;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::seconds limit) {
  for (auto deadline = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < deadline;) {
    if (condition()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}
}  // namespace

TEST_CASE("quality gate: a 99% bad file is not made live") {
  TestDatabase db("gate_rejects");
  REQUIRE(run_evload(load_of("small", db.url())).exit_code == 0);
  const std::string live_run = db.scalar("SELECT run_id FROM ev_live.dataset");
  const std::string users = db.scalar("SELECT count(*) FROM ev_live.users");
  const std::string dau =
      db.scalar("SELECT sum(active_users) FROM ev_live.game_daily g JOIN ev_live.dataset d ON g.day = d.last_data_day");
  const auto dir = scratch_dir("gate-rejects");
  const auto bad = mostly_bad_file(dir);
  const auto rates = fixture("small", "exchange_rates.jsonl").string();

  // No limit given: the default gate refuses it, names the gate and the figures, changes nothing.
  auto result = run_evload({"load", "--events", bad.string(), "--rates", rates, "--db", db.url()});
  INFO(result.output);
  REQUIRE(result.exit_code == 4);
  REQUIRE_THAT(result.output, Catch::Contains("evload status=reject_limit mode=load"));
  REQUIRE_THAT(result.output, Catch::Contains("gate=reject_ratio ratio=0.99"));
  REQUIRE_THAT(result.output,
               Catch::Contains("quality gate reject_ratio: 99.") && Catch::Contains("% of the lines were rejected"));
  REQUIRE_THAT(result.output, Catch::Contains("nothing was made live"));
  REQUIRE(db.scalar("SELECT run_id FROM ev_live.dataset") == live_run);
  REQUIRE(db.scalar("SELECT count(*) FROM ev_live.users") == users);
  REQUIRE(db.scalar(
              "SELECT sum(active_users) FROM ev_live.game_daily g JOIN ev_live.dataset d ON g.day = d.last_data_day") ==
          dau);
  REQUIRE(db.scalar("SELECT error FROM evmeta.load_runs ORDER BY run_id DESC LIMIT 1")
              .starts_with("reject limit: quality gate reject_ratio"));
  REQUIRE(db.scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ev\\_gen\\_%'") == "0");
  // The previous generation is still the live one and the one kept behind it is untouched.
  REQUIRE(db.scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ev\\_retired\\_%'") == "0");

  // evload check refuses it on the same gate, without a database.
  result = run_evload({"check", "--events", bad.string(), "--rates", rates, "-q"});
  REQUIRE(result.exit_code == 4);
  REQUIRE_THAT(result.output, Catch::Contains("gate=reject_ratio"));

  // With the ratio allowed, the shrink gate still refuses it: far fewer users than live.
  result = run_evload(
      {"load", "--events", bad.string(), "--rates", rates, "--db", db.url(), "-q", "--max-reject-ratio", "1"});
  INFO(result.output);
  REQUIRE(result.exit_code == 4);
  REQUIRE_THAT(result.output, Catch::Contains("evload status=shrink_limit"));
  REQUIRE_THAT(result.output, Catch::Contains("gate=shrink:users live=" + users));
  REQUIRE(db.scalar("SELECT run_id FROM ev_live.dataset") == live_run);

  // --force is the deliberate override: it goes live.
  result = run_evload({"load", "--events", bad.string(), "--rates", rates, "--db", db.url(), "-q", "--force"});
  REQUIRE(result.exit_code == 0);
  REQUIRE(db.scalar("SELECT run_id FROM ev_live.dataset") != live_run);
}

TEST_CASE("quality gate: a file that shrinks the data is refused also by check --db") {
  TestDatabase db("gate_shrink");
  REQUIRE(run_evload(load_of("small", db.url())).exit_code == 0);
  const std::string live_run = db.scalar("SELECT run_id FROM ev_live.dataset");
  const std::string users = db.scalar("SELECT count(*) FROM ev_live.users");
  // tiny: 4 users against small's; its rejects are allowed so that only the shrink gate speaks.
  auto result = run_evload(load_of("tiny", db.url(), {"--max-reject-ratio", "1"}));
  INFO(result.output);
  REQUIRE(result.exit_code == 4);
  REQUIRE_THAT(result.output, Catch::Contains("gate=shrink:users live=" + users + " new=4"));
  REQUIRE(db.scalar("SELECT run_id FROM ev_live.dataset") == live_run);
  REQUIRE(db.scalar("SELECT error FROM evmeta.load_runs ORDER BY run_id DESC LIMIT 1")
              .starts_with("shrink limit: quality gate shrink: users would drop by"));

  const auto tiny_check = std::vector<std::string>{"check",
                                                   "--events",
                                                   fixture("tiny", "events.jsonl").string(),
                                                   "--rates",
                                                   fixture("tiny", "exchange_rates.jsonl").string(),
                                                   "--max-reject-ratio",
                                                   "1",
                                                   "-q"};
  // check without --db knows no live data: only the reject gates, which pass here.
  REQUIRE(run_evload(tiny_check).exit_code == 0);
  // check --db compares with the live generation, read-only (the reader role is enough).
  auto with_db = tiny_check;
  with_db.insert(with_db.end(), {"--db", db.reader_url()});
  result = run_evload(with_db);
  REQUIRE(result.exit_code == 4);
  REQUIRE_THAT(result.output, Catch::Contains("gate=shrink:users"));

  // --max-shrink 1 turns the gate off.
  REQUIRE(run_evload(load_of("tiny", db.url(), {"--max-reject-ratio", "1", "--max-shrink", "1"})).exit_code == 0);
  REQUIRE(db.scalar("SELECT count(*) FROM ev_live.users") == "4");
}

TEST_CASE("rollback makes the previous generation live again under reader traffic") {
  TestDatabase db("rollback");
  REQUIRE(run_evload({"rollback", "--db", db.url()}).exit_code == 3);  // nothing loaded yet
  REQUIRE(run_evload(load_of("small", db.url())).exit_code == 0);
  const std::string small_run = db.scalar("SELECT run_id FROM ev_live.dataset");
  auto result = run_evload({"rollback", "--db", db.url()});
  REQUIRE(result.exit_code == 3);
  REQUIRE_THAT(result.output, Catch::Contains("no previous generation"));
  REQUIRE(run_evload(load_of("tiny", db.url(), {"--force"})).exit_code == 0);
  const std::string tiny_run = db.scalar("SELECT run_id FROM ev_live.dataset");
  REQUIRE(db.scalar("SELECT count(*) FROM ev_live.users") == "4");

  result = run_evload({"generations", "--db", db.reader_url()});
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  REQUIRE_THAT(result.output, Catch::Contains("live     ev_live"));
  REQUIRE_THAT(result.output, Catch::Contains("kept     ev_retired_" + small_run));

  // Readers (the read-only role, plain and prepared, as evserve) during rollbacks back and forth.
  std::atomic<bool> stop{false};
  std::atomic<long> reads{0};
  std::mutex mutex;
  std::vector<std::string> problems;
  std::set<std::string> runs_seen;
  std::vector<std::thread> readers;
  readers.reserve(2);
  constexpr const char* kSql =
      "SELECT d.run_id, (SELECT count(*) FROM ev_live.users), (SELECT sum(users) FROM ev_live.game_totals) "
      "FROM ev_live.dataset d";
  for (int prepared = 0; prepared < 2; ++prepared) {
    readers.emplace_back([&, prepared] {
      auto conn = db.connect_reader();
      if (prepared) conn.prepare("snapshot", kSql, 0);
      while (!stop) {
        try {
          auto r = prepared ? conn.exec_prepared("snapshot", {}) : conn.exec(kSql);
          std::lock_guard lock(mutex);
          runs_seen.insert(std::string(r.value(0, 0)));
          if (r.value(0, 1) != r.value(0, 2)) problems.push_back("users and game_totals disagree: a mix");
          ++reads;
        } catch (const std::exception& e) {
          std::lock_guard lock(mutex);
          problems.push_back(e.what());
        }
      }
    });
  }
  for (int i = 0; i < 6; ++i) {
    const long before = reads;
    REQUIRE(wait_until([&] { return reads > before + 5; }, 30s));
    result = run_evload({"rollback", "--db", db.url(), "-q"});
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    const std::string expected = i % 2 == 0 ? small_run : tiny_run;
    REQUIRE_THAT(result.output, Catch::Contains("run " + expected + " is live again"));
    REQUIRE(db.scalar("SELECT run_id FROM ev_live.dataset") == expected);
  }
  const long at_end = reads;
  REQUIRE(wait_until([&] { return reads > at_end + 5; }, 30s));
  stop = true;
  for (auto& reader : readers) reader.join();
  INFO((problems.empty() ? std::string("none") : problems.front()));
  REQUIRE(problems.empty());
  REQUIRE(runs_seen.size() == 2);
  // Six rollbacks: back on tiny, with small kept behind it.
  REQUIRE(db.scalar("SELECT run_id FROM ev_live.dataset") == tiny_run);
  REQUIRE(db.scalar("SELECT count(*) FROM ev_live.users") == "4");

  // --to picks a kept run; an unknown one is an error that changes nothing.
  result = run_evload({"rollback", "--db", db.url(), "--to", "999999"});
  REQUIRE(result.exit_code == 3);
  REQUIRE(db.scalar("SELECT run_id FROM ev_live.dataset") == tiny_run);
  REQUIRE(run_evload({"rollback", "--db", db.url(), "--to", small_run, "-q"}).exit_code == 0);
  REQUIRE(db.scalar("SELECT run_id FROM ev_live.dataset") == small_run);
}

TEST_CASE("keeping replaced generations for rollback: --keep-generations N") {
  TestDatabase db("keep_generations");
  for (int i = 0; i < 4; ++i)
    REQUIRE(run_evload(load_of("small", db.url(), {"--keep-generations", "2"})).exit_code == 0);
  REQUIRE(db.scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ev\\_retired\\_%'") == "2");
  REQUIRE(run_evload(load_of("small", db.url(), {"--keep-generations", "0"})).exit_code == 0);
  REQUIRE(db.scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ev\\_retired\\_%'") == "0");
  REQUIRE(run_evload({"rollback", "--db", db.url()}).exit_code == 3);
}

TEST_CASE("SIGTERM mid-load: exit 143 and the run interrupted and nothing half-live") {
  TestDatabase db("sigterm");
  REQUIRE(run_evload(load_of("small", db.url())).exit_code == 0);
  const std::string live_run = db.scalar("SELECT run_id FROM ev_live.dataset");
  const auto dir = scratch_dir("sigterm");
  const auto big = dir / "big.jsonl";
  write_synthetic_events(big, 80000, 5000000);
  const auto output = dir / "out.txt";
  const pid_t pid =
      start_evload({"load", "--events", big.string(), "--rates", fixture("tiny", "exchange_rates.jsonl").string(),
                    "--db", db.url(), "--progress", "always"},
                   output.string());
  // Once the run is recorded it is reading: stop it there.
  const bool running = wait_until(
      [&] { return db.scalar("SELECT count(*) FROM evmeta.load_runs WHERE status = 'running'") == "1"; }, 60s);
  ::kill(pid, SIGTERM);
  const int status = wait_for_status(pid);
  const std::string out = read_file(output);
  INFO(out);
  REQUIRE(running);
  REQUIRE(status == 143);
  REQUIRE_THAT(out, Catch::Contains("evload: error: interrupted by SIGTERM: nothing was made live"));
  REQUIRE_THAT(out, Catch::Contains("evload status=interrupted mode=load run_id="));
  REQUIRE_THAT(out, Catch::Contains("exit=143"));
  REQUIRE(db.scalar("SELECT status FROM evmeta.load_runs ORDER BY run_id DESC LIMIT 1") == "interrupted");
  REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs WHERE status = 'running'") == "0");
  REQUIRE(db.scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ev\\_gen\\_%'") == "0");
  REQUIRE(db.scalar("SELECT run_id FROM ev_live.dataset") == live_run);
}

TEST_CASE("waiting for the load lock says who holds it and Ctrl-C stops the wait") {
  TestDatabase db("lock_wait");
  auto holder = db.connect();
  holder.exec("SET application_name = 'the-holder'");
  holder.exec("SELECT pg_advisory_lock(111533575693156)");
  const std::string holder_pid = std::string(holder.exec("SELECT pg_backend_pid()").value(0, 0));
  const auto dir = scratch_dir("lock-wait");
  const auto output = dir / "out.txt";
  const pid_t pid =
      start_evload({"load", "--events", fixture("small", "events.jsonl").string(), "--rates",
                    fixture("small", "exchange_rates.jsonl").string(), "--db", db.url(), "--progress", "never"},
                   output.string());
  const bool said = wait_until(
      [&] {
        // The child creates its output file: it may not exist yet on the first look.
        return std::filesystem::exists(output) &&
               read_file(output).find("waiting for the load lock, held by pid " + holder_pid + " (the-holder") !=
                   std::string::npos;
      },
      60s);
  ::kill(pid, SIGINT);
  const int status = wait_for_status(pid);
  const std::string out = read_file(output);
  INFO(out);
  REQUIRE(said);
  REQUIRE_THAT(out, Catch::Contains("connected since"));
  REQUIRE(status == 130);
  REQUIRE_THAT(out, Catch::Contains("evload status=interrupted mode=load exit=130"));
  // --no-wait names the holder too.
  const auto busy = run_evload(load_of("small", db.url(), {"--no-wait"}));
  REQUIRE(busy.exit_code == 6);
  REQUIRE_THAT(busy.output, Catch::Contains("held by pid " + holder_pid));
}

TEST_CASE("no password in any output or stored run, a malformed connection string exits 2") {
  TestDatabase db("secrets");
  const std::string secret = "S3cretPw-evload-test";  // also in tests/secrets/test-passwords.txt
  const auto events = fixture("small", "events.jsonl").string();
  const auto rates = fixture("small", "exchange_rates.jsonl").string();
  auto check_clean = [&](const ProcessResult& r) {
    INFO(r.output);
    REQUIRE(r.output.find(secret) == std::string::npos);
    REQUIRE(r.output.find("S3cret") == std::string::npos);
  };
  // The URI of the test database with a password (the test cluster trusts 127.0.0.1: it connects).
  const std::string with_password = [&] {
    std::string url = db.url();
    return url.insert(url.find('@'), ":" + secret);
  }();

  SECTION("a mistyped scheme: usage error, redacted") {
    std::string typo = with_password;
    typo.replace(0, typo.find("://"), "postgresq");
    for (const char* command : {"load", "check"}) {
      std::vector<std::string> args{command, "--events", events, "--rates", rates, "--db", typo};
      const auto r = run_evload(args);
      check_clean(r);
      REQUIRE(r.exit_code == 2);
      REQUIRE_THAT(r.output, Catch::Contains("not a valid connection string"));
      REQUIRE_THAT(r.output, Catch::Contains("evload status=usage"));
    }
    for (const char* command : {"generations", "rollback"}) {
      const auto r = run_evload({command, "--db", typo});
      check_clean(r);
      REQUIRE(r.exit_code == 2);
    }
    const auto r = run_evload({"load", "--events", events, "--rates", rates}, {"DATABASE_URL=" + typo});
    check_clean(r);
    REQUIRE(r.exit_code == 2);
  }
  SECTION("a malformed keyword string with password=: usage error, redacted") {
    const auto r = run_evload(
        {"load", "--events", events, "--rates", rates, "--db", "host=127.0.0.1 password=" + secret + " dbname"});
    check_clean(r);
    REQUIRE(r.exit_code == 2);
  }
  SECTION("an unreachable server: database error, redacted") {
    const auto r = run_evload({"load", "--events", events, "--rates", rates, "--db",
                               "postgresql://ev_loader:" + secret + "@127.0.0.1:1/none?connect_timeout=2"});
    check_clean(r);
    REQUIRE(r.exit_code == 5);
    const auto q = run_evload({"load", "--events", events, "--rates", rates, "--db",
                               "host=127.0.0.1 port=1 user=ev_loader password=" + secret + " connect_timeout=2"});
    check_clean(q);
    REQUIRE(q.exit_code == 5);
    const auto e = run_evload({"load", "--events", events, "--rates", rates, "--db",
                               "postgresql://ev_loader@127.0.0.1:1/none?connect_timeout=2"},
                              {"PGPASSWORD=" + secret});
    check_clean(e);
    REQUIRE(e.exit_code == 5);
    const auto u = run_evload(
        {"generations", "--db", "postgresql://ev_loader@127.0.0.1:1/none?connect_timeout=2&password=" + secret});
    check_clean(u);
    REQUIRE(u.exit_code == 5);
  }
  SECTION("a database that does not exist: database error, redacted") {
    std::string url = with_password;
    url += "_absent";
    const auto r = run_evload({"load", "--events", events, "--rates", rates, "--db", url});
    check_clean(r);
    REQUIRE(r.exit_code == 5);
  }
  SECTION("runs that connect: nothing in output, progress, reports or evmeta.load_runs") {
    const auto dir = scratch_dir("secrets");
    auto ok = run_evload({"load", "--events", events, "--rates", rates, "--db", with_password, "--progress", "always",
                          "--report", (dir / "report.json").string()},
                         {"PGPASSWORD=" + secret});
    check_clean(ok);
    REQUIRE(ok.exit_code == 0);
    REQUIRE(read_file(dir / "report.json").find(secret) == std::string::npos);
    // A gate failure, a lock wait and generations: their outputs too.
    auto refused =
        run_evload({"load", "--events", fixture("tiny", "events.jsonl").string(), "--rates",
                    fixture("tiny", "exchange_rates.jsonl").string(), "--db", with_password, "--report", "-"});
    check_clean(refused);
    REQUIRE(refused.exit_code == 4);
    auto listed = run_evload({"generations", "--db", with_password});
    check_clean(listed);
    REQUIRE(listed.exit_code == 0);
    auto rolled = run_evload({"rollback", "--db", with_password});
    check_clean(rolled);
    REQUIRE(rolled.exit_code == 3);
    REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs r WHERE r::text LIKE '%S3cret%'") == "0");
    REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs") == "2");
  }
}

TEST_CASE("every usage error of evload exits 2") {
  const auto events = fixture("small", "events.jsonl").string();
  const auto rates = fixture("small", "exchange_rates.jsonl").string();
  const std::vector<std::vector<std::string>> cases{
      {},                                                                          // no subcommand
      {"frobnicate"},                                                              // unknown subcommand
      {"load", "--events", events},                                                // missing required --rates
      {"load", "--events", events, "--rates", rates, "--bogus"},                   // unknown option
      {"load", "--events", events, "--rates", rates, "--max-reject-ratio", "2"},   // out of range
      {"load", "--events", events, "--rates", rates, "--max-shrink", "x"},         // not a number
      {"load", "--events", events, "--rates", rates, "--keep-generations", "-1"},  // out of range
      {"load", "--events", events, "--rates", rates, "--progress", "sometimes"},   // not a choice
      {"check", "--events", events, "--rates", rates, "--index-jobs", "2"},        // load only
      {"rollback", "--to", "abc"},
      {"generations", "extra"},
      {"check", "--events", "-", "--rates", rates, "--rejects", "/tmp/x"},  // stdin twice
  };
  for (const auto& args : cases) {
    const auto r = run_evload(args);
    INFO(r.output);
    CHECK(r.exit_code == 2);
  }
  CHECK(run_evload({"--help"}).exit_code == 0);
  CHECK(run_evload({"--version"}).exit_code == 0);
}

TEST_CASE("deprecated --index-jobs: old command lines still load and warn once") {
  TestDatabase db("index_jobs");
  const auto result = run_evload(load_of("small", db.url(), {"--index-jobs", "4"}));
  INFO(result.output);
  CHECK(result.exit_code == 0);
  const std::string warning = "--index-jobs is deprecated and ignored";
  const auto first = result.output.find(warning);
  CHECK(first != std::string::npos);
  CHECK(result.output.find(warning, first + 1) == std::string::npos);  // once
  // Without it: no warning.
  const auto plain = run_evload(load_of("small", db.url()));
  CHECK(plain.exit_code == 0);
  CHECK(plain.output.find("deprecated") == std::string::npos);
}

TEST_CASE("revenue leaves evload as exact decimal text") {
  TestDatabase db("exact_money");
  const auto dir = scratch_dir("exact-money");
  // A legal 18-digit rate: 9.99 × 999999999999999999 = 9989999999999999990.01 exactly.
  std::ofstream(dir / "rates.jsonl") << "{\"currency\": \"USD\", \"rate_to_usd\": \"1\"}\n"
                                     << "{\"currency\": \"XAU\", \"rate_to_usd\": \"999999999999999999\"}\n";
  std::ofstream(dir / "events.jsonl")
      << "{\"event_id\": 1, \"event_type\": \"registration\", \"event_timestamp\": 1273280400, \"event_data\": "
         "{\"user_id\": \"a1a1a1a1-683b-11ee-aca7-8699b86be788\", \"country\": \"DE\", \"name\": \"A\", \"device_os\": "
         "\"iOS\", \"marketing_campaign\": null}}\n"
      << "{\"event_id\": 2, \"event_type\": \"transaction\", \"event_timestamp\": 1273280500, \"event_data\": "
         "{\"user_id\": \"a1a1a1a1-683b-11ee-aca7-8699b86be788\", \"transaction_currency\": \"XAU\", "
         "\"transaction_amount\": 9.99}}\n";
  const std::string exact = "9989999999999999990.01";
  auto r = run_evload({"check", "--events", (dir / "events.jsonl").string(), "--rates", (dir / "rates.jsonl").string(),
                       "--report", "-"});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  REQUIRE_THAT(r.output, Catch::Contains("\"revenue_usd\":" + exact + ","));
  REQUIRE_THAT(r.output, Catch::Contains(exact));  // the table for people too
  REQUIRE(r.output.find("e+18") == std::string::npos);
  REQUIRE(r.output.find("E18") == std::string::npos);
  r = run_evload({"load", "--events", (dir / "events.jsonl").string(), "--rates", (dir / "rates.jsonl").string(),
                  "--db", db.url(), "-q", "--report", (dir / "report.json").string()});
  REQUIRE(r.exit_code == 0);
  REQUIRE_THAT(read_file(dir / "report.json"), Catch::Contains("\"revenue_usd\":" + exact + ","));
  REQUIRE(db.scalar("SELECT report->>'revenue_usd' FROM evmeta.load_runs WHERE status = 'succeeded'") == exact);
  REQUIRE(db.scalar("SELECT sum(revenue_usd)::text FROM ev_live.game_totals") == exact);
}
