// evload's command line (etl/command_line.hpp): flags and $DATABASE_URL into LoadOptions, every
// usage error exit 2 with a message naming its option, --help and --version exit 0, the
// deprecated --index-jobs accepted with a warning.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "common/version.hpp"
#include "etl/command_line.hpp"
#include "etl/load_command.hpp"
#include "unit_support.hpp"

using Catch::Matchers::Contains;
using ge::Command;
using ge::CommandLine;
using ge::ExitCode;

namespace {

// What std::cout and std::cerr received while it lived (CLI11 and evload print there).
class CapturedOutput {
 public:
  CapturedOutput() : old_out_(std::cout.rdbuf(out_.rdbuf())), old_err_(std::cerr.rdbuf(err_.rdbuf())) {}
  CapturedOutput(const CapturedOutput&) = delete;
  CapturedOutput& operator=(const CapturedOutput&) = delete;
  ~CapturedOutput() {
    std::cout.rdbuf(old_out_);
    std::cerr.rdbuf(old_err_);
  }
  std::string out() const { return out_.str(); }
  std::string err() const { return err_.str(); }

 private:
  std::ostringstream out_;
  std::ostringstream err_;
  std::streambuf* old_out_;
  std::streambuf* old_err_;
};

struct Parsed {
  CommandLine command_line;
  std::string out;
  std::string err;
};

Parsed parse(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"evload"};
  for (const auto& arg : args) argv.push_back(arg.c_str());
  const CapturedOutput captured;
  CommandLine command_line = ge::parse_command_line(static_cast<int>(argv.size()), argv.data());
  return Parsed{std::move(command_line), captured.out(), captured.err()};
}

// $DATABASE_URL set (or unset, for nullptr) while it lives.
class DatabaseUrl {
 public:
  explicit DatabaseUrl(const char* value) {
    if (value)
      ::setenv("DATABASE_URL", value, 1);
    else
      ::unsetenv("DATABASE_URL");
  }
  DatabaseUrl(const DatabaseUrl&) = delete;
  DatabaseUrl& operator=(const DatabaseUrl&) = delete;
  ~DatabaseUrl() { ::unsetenv("DATABASE_URL"); }
};

}  // namespace

TEST_CASE("evload command line: load's flags become its options", "[command_line]") {
  const DatabaseUrl no_env(nullptr);
  const auto parsed = parse({"load",
                             "--events",
                             "a.jsonl",
                             "b.jsonl.gz",
                             "--rates",
                             "rates.jsonl",
                             "--db",
                             "postgresql://ev_loader@db/events",
                             "--rejects",
                             "rejects.jsonl",
                             "--report",
                             "-",
                             "--max-rejects",
                             "7",
                             "--max-reject-ratio",
                             "0.25",
                             "--max-shrink",
                             "0.75",
                             "--force",
                             "--allow-empty",
                             "--progress",
                             "never",
                             "--quiet",
                             "--read-threads",
                             "1",
                             "--max-line-bytes",
                             "4096",
                             "--no-wait",
                             "--keep-runs",
                             "5",
                             "--keep-generations",
                             "3",
                             "--copy-block-bytes",
                             "131072"});
  REQUIRE_FALSE(parsed.command_line.exit_code);
  CHECK(parsed.err.empty());
  CHECK(parsed.command_line.command == Command::load);
  const ge::LoadOptions& options = parsed.command_line.options;
  CHECK(options.events_inputs == std::vector<std::string>{"a.jsonl", "b.jsonl.gz"});
  CHECK(options.events_path == "a.jsonl, b.jsonl.gz");
  CHECK(options.rates_path == "rates.jsonl");
  CHECK(options.database == "postgresql://ev_loader@db/events");
  CHECK(options.rejects_path == "rejects.jsonl");
  CHECK(options.report_path == "-");
  CHECK(options.max_rejects == 7U);
  CHECK(options.max_reject_ratio == 0.25);
  CHECK(options.max_shrink == 0.75);
  CHECK(options.force);
  CHECK(options.allow_empty);
  CHECK(options.progress == ge::ProgressMode::never);
  CHECK(options.quiet);
  CHECK(options.read_threads == 1);
  CHECK(options.max_line_bytes == 4096U);
  CHECK_FALSE(options.wait_lock);
  CHECK(options.keep_runs == 5);
  CHECK(options.keep_generations == 3);
  CHECK(options.copy_block_bytes == 131072U);
  CHECK_FALSE(options.check_against_db);
}

TEST_CASE("evload command line: what is not given keeps the documented defaults", "[command_line]") {
  const DatabaseUrl no_env(nullptr);
  const auto parsed = parse({"load", "--events", "e.jsonl", "--rates", "r.jsonl"});
  REQUIRE_FALSE(parsed.command_line.exit_code);
  const ge::LoadOptions& options = parsed.command_line.options;
  const ge::LoadOptions defaults;
  CHECK(options.database.empty());  // libpq's PG* defaults
  CHECK_FALSE(options.rejects_path);
  CHECK_FALSE(options.report_path);
  CHECK_FALSE(options.max_rejects);
  CHECK(options.max_reject_ratio == ge::kDefaultMaxRejectRatio);
  CHECK(options.max_shrink == ge::kDefaultMaxShrink);
  CHECK_FALSE(options.force);
  CHECK(options.progress == ge::ProgressMode::automatic);
  CHECK(options.wait_lock);
  CHECK(options.keep_generations == defaults.keep_generations);
  CHECK(options.keep_runs == defaults.keep_runs);
  CHECK(options.read_threads == defaults.read_threads);
  CHECK(options.copy_block_bytes == defaults.copy_block_bytes);
  CHECK(parse({"load", "--events", "-", "--rates", "r.jsonl", "--progress", "always"}).command_line.options.progress ==
        ge::ProgressMode::always);
}

TEST_CASE("evload command line: check, generations and rollback", "[command_line]") {
  const DatabaseUrl no_env(nullptr);
  const auto check = parse({"check", "--events", "e.jsonl", "--rates", "r.jsonl", "--db", "dbname=live"});
  REQUIRE_FALSE(check.command_line.exit_code);
  CHECK(check.command_line.command == Command::check);
  CHECK(check.command_line.options.database == "dbname=live");
  CHECK(check.command_line.options.check_against_db);

  const auto generations = parse({"generations", "--db", "dbname=g"});
  REQUIRE_FALSE(generations.command_line.exit_code);
  CHECK(generations.command_line.command == Command::generations);
  CHECK(generations.command_line.options.database == "dbname=g");

  const auto rollback = parse({"rollback", "--db", "dbname=r", "--to", "42", "--no-wait", "-q"});
  REQUIRE_FALSE(rollback.command_line.exit_code);
  CHECK(rollback.command_line.command == Command::rollback);
  CHECK(rollback.command_line.options.database == "dbname=r");
  CHECK(rollback.command_line.rollback_to == 42);
  CHECK_FALSE(rollback.command_line.options.wait_lock);
  CHECK(rollback.command_line.options.quiet);
  CHECK_FALSE(parse({"rollback"}).command_line.rollback_to);  // the newest kept
}

TEST_CASE("evload command line: $DATABASE_URL is --db's default, and check's --db only", "[command_line]") {
  const DatabaseUrl env("postgresql:///from_env");
  for (const char* command : {"generations", "rollback"}) {
    INFO(command);
    CHECK(parse({command}).command_line.options.database == "postgresql:///from_env");
    CHECK(parse({command, "--db", "dbname=flag"}).command_line.options.database == "dbname=flag");
  }
  CHECK(parse({"load", "--events", "e", "--rates", "r"}).command_line.options.database == "postgresql:///from_env");
  CHECK(parse({"load", "--events", "e", "--rates", "r", "--db", ""}).command_line.options.database.empty());
  // check touches no database unless its own --db says which: $DATABASE_URL does not turn it on.
  CHECK_FALSE(parse({"check", "--events", "e", "--rates", "r"}).command_line.options.check_against_db);
  const auto check_db = parse({"check", "--events", "e", "--rates", "r", "--db", ""});
  CHECK(check_db.command_line.options.check_against_db);
  CHECK(check_db.command_line.options.database.empty());
}

TEST_CASE("evload command line: every usage error is exit 2 and names its option", "[command_line]") {
  const DatabaseUrl no_env(nullptr);
  const ge_test::TempDir dir;
  const std::string none = dir.file("nothing-*.jsonl");
  struct Case {
    std::vector<std::string> args;
    std::string names;
  };
  const std::vector<Case> cases{
      {{"load", "--events", "e", "--rates", "r", "--bogus"}, "--bogus"},
      {{"frobnicate"}, "A subcommand is required"},  // CLI11 does not name an unknown subcommand
      {{}, "subcommand"},
      {{"load", "--events", "e", "--rates", "r", "--max-reject-ratio", "2"}, "--max-reject-ratio"},
      {{"check", "--events", "e", "--rates", "r", "--max-reject-ratio", "abc"}, "--max-reject-ratio"},
      {{"load", "--events", "e", "--rates", "r", "--max-shrink", "1.5"}, "--max-shrink"},
      {{"load", "--rates", "r"}, "--events"},
      {{"check", "--events", "e"}, "--rates"},
      {{"load", "--events", none, "--rates", "r"}, "--events pattern " + none + " matches no file"},
      {{"check", "--events", "-", "--rates", "r", "--rejects", "x.jsonl"}, "--rejects"},
      {{"check", "--events", "e", "--rates", "r", "--progress", "sometimes"}, "--progress"},
      {{"check", "--events", "e", "--rates", "r", "--read-threads", "3"}, "--read-threads"},
      {{"load", "--events", "e", "--rates", "r", "--copy-block-bytes", "100"}, "--copy-block-bytes"},
      {{"load", "--events", "e", "--rates", "r", "--keep-generations", "101"}, "--keep-generations"},
      {{"load", "--events", "e", "--rates", "r", "--keep-runs", "-1"}, "--keep-runs"},
      // unsigned options: a negative number must not wrap round to a huge limit
      {{"load", "--events", "e", "--rates", "r", "--max-rejects", "-1"}, "--max-rejects"},
      {{"check", "--events", "e", "--rates", "r", "--max-line-bytes", "-5"}, "--max-line-bytes"},
      {{"check", "--events", "e", "--rates", "r", "--max-line-bytes", "0"}, "--max-line-bytes"},
      {{"load", "--events", "e", "--rates", "r", "--index-jobs", "17"}, "--index-jobs"},
      {{"check", "--events", "e", "--rates", "r", "--index-jobs", "4"}, "--index-jobs"},
      {{"check", "--events", "e", "--rates", "r", "--no-wait"}, "--no-wait"},
      {{"rollback", "--to", "abc"}, "--to"},
  };
  for (const Case& c : cases) {
    const auto parsed = parse(c.args);
    INFO("evload " << Catch::Detail::stringify(c.args) << "\nstderr: " << parsed.err);
    CHECK(parsed.command_line.exit_code == ExitCode::usage);
    CHECK_THAT(parsed.err, Contains(c.names));
    CHECK(parsed.out.empty());
  }
}

TEST_CASE("evload command line: a malformed connection string is exit 2 before any connection", "[command_line]") {
  // Checked by the run itself (load_command.cpp), before it connects: the same exit and message
  // whether the string came from --db or $DATABASE_URL, without its password.
  const DatabaseUrl env("postgresq://u:s3cretpw@host/db");
  const auto from_env = parse({"generations"});
  const auto from_flag = parse({"load", "--events", "e", "--rates", "r", "--db", "postgresq://u:s3cretpw@host/db"});
  for (const Parsed* parsed : {&from_env, &from_flag}) {
    REQUIRE_FALSE(parsed->command_line.exit_code);
    const CapturedOutput captured;
    const ExitCode code = parsed->command_line.command == Command::load
                              ? ge::run_load(parsed->command_line.options)
                              : ge::run_generations(parsed->command_line.options);
    CHECK(code == ExitCode::usage);
    CHECK_THAT(captured.err(), Contains("--db (or $DATABASE_URL) is not a valid connection string"));
    CHECK_THAT(captured.err(), !Contains("s3cretpw"));
    CHECK_THAT(captured.out(), Contains("status=usage") && Contains("exit=2"));
  }
}

TEST_CASE("evload command line: an --events directory without events files is bad input", "[command_line]") {
  const ge_test::TempDir dir;
  dir.write("readme.txt", "not events\n");
  const auto parsed = parse({"check", "--events", dir.path().string(), "--rates", "r"});
  CHECK(parsed.command_line.exit_code == ExitCode::bad_input);
  CHECK_THAT(parsed.err, Contains("evload: error: ") && Contains(dir.path().string()));
}

TEST_CASE("evload command line: --help and --version exit 0 on stdout", "[command_line]") {
  const auto help = parse({"--help"});
  CHECK(help.command_line.exit_code == ExitCode::ok);
  CHECK_THAT(help.out, Contains("Exit codes:") && Contains("load") && Contains("rollback"));
  CHECK(help.err.empty());
  const auto load_help = parse({"load", "--help"});
  CHECK(load_help.command_line.exit_code == ExitCode::ok);
  CHECK_THAT(load_help.out, Contains("--max-reject-ratio") && Contains("Deprecated"));
  const auto version = parse({"--version"});
  CHECK(version.command_line.exit_code == ExitCode::ok);
  CHECK(version.out == "evload " + std::string(ge::kVersion) + "\n");
}

TEST_CASE("evload command line: the deprecated --index-jobs is accepted with a warning", "[command_line]") {
  const auto parsed = parse({"load", "--events", "e", "--rates", "r", "--index-jobs", "4"});
  REQUIRE_FALSE(parsed.command_line.exit_code);
  CHECK(parsed.command_line.command == Command::load);
  CHECK(parsed.err ==
        "evload: warning: --index-jobs is deprecated and ignored: each table's indexes are built on its own COPY "
        "connection as soon as its COPY ends; drop the option\n");
  CHECK(parse({"load", "--events", "e", "--rates", "r"}).err.empty());
}
