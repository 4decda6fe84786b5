// Faults during a load (issue 5): the database stopped mid-COPY, evload killed with SIGKILL at
// random points of ten runs, a full disk under the rejects file. Each time a whole generation
// stays live (the previous one, or the new one once the swap has committed) and the next
// normal run succeeds and cleans up.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include "live_digest.hpp"
#include "measured_run.hpp"
#include "private_cluster.hpp"
#include "scoped_scratch.hpp"
#include "support.hpp"

using namespace ge::test;
using namespace std::chrono_literals;

namespace {
std::filesystem::path rates_file() { return fixtures_dir() / "tiny" / "exchange_rates.jsonl"; }
std::filesystem::path fixture_events(const std::string& name) { return fixtures_dir() / name / "events.jsonl"; }
std::vector<std::string> load_args(const std::filesystem::path& events, const std::string& url) {
  // --force: fixtures of very different sizes on purpose, the tiny one mostly rejects by design.
  // -q stays last: the kill test drops it (pop_back) to see the phases.
  return {"load", "--events", events.string(), "--rates", rates_file().string(), "--db", url, "--force", "-q"};
}

// Waits until the database shows a COPY into the new generation under way.
bool wait_for_copy(const std::string& url, std::chrono::seconds timeout) {
  ge::db::Connection conn(url);
  for (auto deadline = std::chrono::steady_clock::now() + timeout; std::chrono::steady_clock::now() < deadline;) {
    if (copy_under_way(conn)) return true;
    std::this_thread::sleep_for(2ms);
  }
  return false;
}

// The last phase evload announced ("  parse…" lines of --progress always) before it ended.
std::string last_phase(const std::string& output) {
  static const char* const kPhases[] = {"prepare", "parse", "order", "build_and_copy", "rejects", "index", "swap"};
  std::string last = "(before prepare)";
  std::size_t last_at = 0;
  for (const char* phase : kPhases) {
    const auto at = output.rfind(std::string("  ") + phase + "\xE2\x80\xA6");
    if (at != std::string::npos && at >= last_at) {
      last_at = at;
      last = phase;
    }
  }
  return last;
}

// Whether the file holds text (false while the child has not created it yet).
bool contains(const std::filesystem::path& file, const std::string& text) {
  try {
    return read_file(file).find(text) != std::string::npos;
  } catch (const std::runtime_error&) {
    return false;
  }
}

void require_cleaned_up(const TestDatabase& db) {
  REQUIRE(db.scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ev\\_gen\\_%'") == "0");
  // The generation a load replaced is kept for `evload rollback` (--keep-generations, default 1).
  REQUIRE(std::stoi(db.scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ev\\_retired\\_%'")) <= 1);
  REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs WHERE status = 'running'") == "0");
}
}  // namespace

TEST_CASE("fault: PostgreSQL stopped mid-load") {
  PrivateCluster cluster;
  ScopedScratch dir("pgstop");
  REQUIRE(run_evload_measured(load_args(fixture_events("tiny"), cluster.url())).exit_code == 0);
  const LiveDigest before = live_digest(cluster.url());

  const auto big = dir / "big.jsonl";
  write_synthetic_events(big, 60000, 1000000);
  const auto output = dir / "out.txt";
  const pid_t pid = start_evload(load_args(big, cluster.url()), output.string());
  const bool copying = wait_for_copy(cluster.url(), 120s);
  cluster.stop();  // pg_ctl stop -m fast: every session, the COPY's included, is ended
  const auto run = wait_measured(pid, output, 120s);
  if (!run) {
    ::kill(pid, SIGKILL);
    wait_for(pid);
  }
  REQUIRE(run);
  INFO(run->output);
  REQUIRE(copying);
  REQUIRE(run->signal == 0);
  REQUIRE(run->exit_code == 5);  // the database error, documented in evload --help
  REQUIRE_THAT(run->output, Catch::Contains("evload: error: ") &&
                                Catch::Contains("the previous data (if any) is still live and unchanged"));
  std::printf("fault: PostgreSQL stopped mid-load: evload exited %d within %.2f s of the shutdown, saying:\n%s",
              run->exit_code, run->seconds, run->output.c_str());

  cluster.start();
  REQUIRE(live_digest(cluster.url()) == before);
  // evload could not record its failure with the server gone: the run stays 'running' until
  // the next load, which cleans up after it and succeeds.
  ge::db::Connection conn(cluster.url());
  REQUIRE(conn.exec("SELECT count(*) FROM evmeta.load_runs WHERE status = 'running'").value(0, 0) == "1");
  REQUIRE(run_evload_measured(load_args(fixture_events("small"), cluster.url())).exit_code == 0);
  REQUIRE(live_digest(cluster.url()).run_id != before.run_id);
  REQUIRE(conn.exec("SELECT count(*) FROM evmeta.load_runs WHERE status = 'running'").value(0, 0) == "0");
  REQUIRE(conn.exec("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ev\\_gen\\_%'").value(0, 0) == "0");
  REQUIRE(conn.exec("SELECT count(*) FROM ev_live.users").value(0, 0) == "295");
}

TEST_CASE("fault: kill -9 at random points of ten loads") {
  TestDatabase db("kill10");
  ScopedScratch dir("kill10");
  // Two inputs of different content, loaded in turn: after a kill the live data must be wholly
  // the previous input's, or wholly the new one's if the swap had committed.
  struct Input {
    std::filesystem::path events;
    LiveDigest reference;
    std::map<std::string, double> phase_seconds;
  };
  Input inputs[2] = {{dir / "a.jsonl", {}, {}}, {dir / "b.jsonl", {}, {}}};
  write_synthetic_events(inputs[0].events, 10000, 1000000);
  write_synthetic_events(inputs[1].events, 7000, 3000000);
  for (auto& input : inputs) {  // reference runs: the content of each, and how long its phases take
    auto args = load_args(input.events, db.url());
    args.insert(args.end(), {"--report", (dir / "reference.json").string()});
    REQUIRE(run_evload_measured(args).exit_code == 0);
    input.reference = live_digest(db.url());
    const auto report = read_json(dir / "reference.json");  // outlives the loop (a temporary would not)
    for (const auto& [phase, seconds] : report.at("phase_seconds").as_object()) {
      input.phase_seconds[std::string(phase)] = seconds.to_number<double>();
    }
  }
  REQUIRE(inputs[0].reference.tables != inputs[1].reference.tables);

  const char* seed_text = std::getenv("GE_KILL_SEED");
  const std::uint64_t seed = seed_text ? std::strtoull(seed_text, nullptr, 10) : std::random_device{}();
  std::printf("fault: kill -9 at random points: seed %llu (rerun with GE_KILL_SEED=%llu)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  std::mt19937_64 random(seed);
  // Each run aims at one phase in turn: it waits for evload to announce that phase, then kills
  // at a random moment within the phase's length in the reference run. So ten runs hit every
  // phase, the short swap included, whatever the machine's speed; the log shows where each
  // kill landed.
  const char* const kPhases[] = {"parse", "build_and_copy", "index", "swap", "prepare", "order"};
  LiveDigest live = live_digest(db.url());
  int live_input = 1;
  std::map<std::string, int> phases_hit;
  for (int round = 0; round < 10; ++round) {
    const int target = 1 - live_input;
    const Input& input = inputs[target];
    const std::string aim = kPhases[round % 6];
    const double length = input.phase_seconds.count(aim) ? input.phase_seconds.at(aim) : 0.0;
    const double delay = std::uniform_real_distribution<double>(0.0, 1.0)(random) * length;

    auto args = load_args(input.events, db.url());
    args.pop_back();  // not -q: the phases are announced on stderr
    args.insert(args.end(), {"--progress", "always"});
    const auto output = dir / ("killed-" + std::to_string(round) + ".txt");
    const pid_t pid = start_evload(args, output.string());
    const std::string announced = "  " + aim + "\xE2\x80\xA6";
    for (auto deadline = std::chrono::steady_clock::now() + 60s;
         std::chrono::steady_clock::now() < deadline && !contains(output, announced);) {
      std::this_thread::sleep_for(500us);
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    ::kill(pid, SIGKILL);  // a child that has just exited is a zombie until reaped: still ours
    const auto killed = wait_measured(pid, output, 60s);
    REQUIRE(killed);
    const std::string reached = killed->signal == SIGKILL ? last_phase(killed->output) : "(finished first)";
    ++phases_hit[reached];
    // The killed run's row says 'running' if the kill came after it was recorded (prepare) and
    // before the swap committed; the next run must mark it interrupted.
    const int interrupted_before =
        std::stoi(db.scalar("SELECT count(*) FROM evmeta.load_runs WHERE error LIKE 'interrupted%'"));
    const int left_running = std::stoi(db.scalar("SELECT count(*) FROM evmeta.load_runs WHERE status = 'running'"));
    REQUIRE(left_running <= 1);

    // A whole generation is live: the previous one untouched, or the new one complete.
    const LiveDigest after = live_digest(db.url());
    const bool swapped = after.run_id != live.run_id;
    std::printf("  round %d: aimed at %s, killed %.3f s into it, during %s: %s generation live\n", round, aim.c_str(),
                delay, reached.c_str(), swapped ? "the new" : "the previous");
    INFO("round " << round << ", seed " << seed << ", killed during " << reached << "\n" << killed->output);
    if (swapped) {
      REQUIRE(after.tables == input.reference.tables);
    } else {
      REQUIRE(after == live);
    }
    if (killed->signal != SIGKILL) REQUIRE(killed->exit_code == 0);

    // The next normal run succeeds and leaves nothing behind.
    const auto result = run_evload_measured(load_args(input.events, db.url()));
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    live = live_digest(db.url());
    REQUIRE(live.tables == input.reference.tables);
    require_cleaned_up(db);
    REQUIRE(std::stoi(db.scalar("SELECT count(*) FROM evmeta.load_runs WHERE error LIKE 'interrupted%'")) ==
            interrupted_before + left_running);
    live_input = target;
  }
  std::printf("  kills landed in:");
  for (const auto& [phase, count] : phases_hit) std::printf(" %s %d", phase.c_str(), count);
  std::printf("\n");
  // Every killed run that had not swapped is recorded as interrupted, none is left running.
  REQUIRE(db.scalar("SELECT count(*) FROM evmeta.load_runs WHERE status NOT IN ('succeeded', 'failed')") == "0");
}

namespace {
// A small tmpfs mounted for the test's lifetime: a disk that really fills up mid-write.
class SmallTmpfs {
 public:
  explicit SmallTmpfs(const std::filesystem::path& where) : path_(where) {
    std::filesystem::create_directories(path_);
    if (::mount("tmpfs", path_.c_str(), "tmpfs", 0, "size=64k") != 0) error_ = std::strerror(errno);
  }
  ~SmallTmpfs() {
    if (error_.empty()) ::umount2(path_.c_str(), MNT_DETACH);
  }
  SmallTmpfs(const SmallTmpfs&) = delete;
  SmallTmpfs& operator=(const SmallTmpfs&) = delete;
  const std::string& error() const noexcept { return error_; }  // "" when mounted

 private:
  std::filesystem::path path_;
  std::string error_;
};
}  // namespace

TEST_CASE("fault: a full disk for the rejects file") {
  TestDatabase db("diskfull");
  ScopedScratch dir("diskfull");
  REQUIRE(run_evload_measured(load_args(fixture_events("tiny"), db.url())).exit_code == 0);
  const LiveDigest before = live_digest(db.url());
  // 2 % of the small fixture's lines are rejected, and 5,000 more malformed ones are appended:
  // about 600 KiB of rejects, more than the 64 KiB tmpfs below holds.
  const auto events = dir / "events.jsonl";
  {
    std::ofstream out(events, std::ios::binary);
    out << read_file(fixture_events("small"));
    for (int i = 0; i < 5000; ++i) out << "{\"event_id\": " << i << ", broken " << std::string(100, 'z') << "\n";
  }

  auto full_disk_load = [&](const std::filesystem::path& rejects, const std::filesystem::path& failing) {
    auto args = load_args(events, db.url());
    args.insert(args.end(), {"--rejects", rejects.string()});
    const auto run = run_evload_measured(args);
    INFO(run.output);
    REQUIRE(run.signal == 0);
    REQUIRE(run.exit_code == 3);  // "rejects/report not writable" in evload --help
    REQUIRE_THAT(run.output, Catch::Contains("cannot write " + failing.string() + ": No space left on device") &&
                                 Catch::Contains("nothing was loaded"));
    std::printf("fault: full disk (%s): exit %d, saying:\n%s", failing.filename().c_str(), run.exit_code,
                run.output.c_str());
    // Nothing half-live: the previous generation, no leftover schema, the run recorded as failed.
    REQUIRE(live_digest(db.url()) == before);
    require_cleaned_up(db);
    REQUIRE(
        db.scalar("SELECT error FROM evmeta.load_runs ORDER BY run_id DESC LIMIT 1").find("No space left on device") !=
        std::string::npos);
    // No partial rejects file is left to be read as complete.
    for (const auto& path : {rejects, std::filesystem::path(rejects.string() + ".reasons.csv")}) {
      REQUIRE_FALSE(std::filesystem::is_regular_file(std::filesystem::symlink_status(path)));
    }
  };

  SECTION("/dev/full under the rejects file") {
    const auto rejects = dir / "rejects.jsonl";
    std::filesystem::create_symlink("/dev/full", rejects);
    full_disk_load(rejects, rejects);
  }
  SECTION("/dev/full under the reasons file") {
    const auto rejects = dir / "rejects.jsonl";
    std::filesystem::create_symlink("/dev/full", dir / "rejects.jsonl.reasons.csv");
    full_disk_load(rejects, dir / "rejects.jsonl.reasons.csv");
  }
  SECTION("a device with nothing to fsync is no full disk") {
    // /dev/null under both files (not PATH.reasons.csv created in /dev): fsync says EINVAL.
    const auto rejects = dir / "rejects.jsonl";
    std::filesystem::create_symlink("/dev/null", rejects);
    std::filesystem::create_symlink("/dev/null", dir / "rejects.jsonl.reasons.csv");
    auto args = load_args(events, db.url());
    args.insert(args.end(), {"--rejects", rejects.string()});
    const auto run = run_evload_measured(args);
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    REQUIRE(live_digest(db.url()).run_id != before.run_id);
    REQUIRE(std::filesystem::is_symlink(rejects));
  }
  SECTION("a 64 KiB tmpfs that fills up mid-write") {
    SmallTmpfs disk(dir / "small-disk");
    if (!disk.error().empty()) {
      WARN("not run: mounting a tmpfs needs CAP_SYS_ADMIN (" << disk.error()
                                                             << "); the /dev/full sections cover ENOSPC");
      return;
    }
    const auto rejects = dir / "small-disk" / "rejects.jsonl";
    full_disk_load(rejects, rejects);
    REQUIRE(std::filesystem::is_empty(dir / "small-disk"));
  }
}
