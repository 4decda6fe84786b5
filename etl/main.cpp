// evload: loads a game's events.jsonl into PostgreSQL, cleaned as docs/data-contract.md says, atomically.
// This file is the command line only; the work is in load_command.cpp.

// GCC 12 sees a "potential null pointer dereference" in std::string's move, inlined into
// CLI11's detail::split, which the multi-value --events option instantiates: a false positive in
// library code. The pragma must come first: the warning is placed in <string>'s own lines.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/version.hpp"
#include "etl/input_files.hpp"
#include "etl/interrupt.hpp"
#include "etl/load_command.hpp"

namespace {
constexpr const char* kFooter = R"(Examples:
  evload load  --events data/events.jsonl --rates data/exchange_rates.jsonl --db postgresql://ev_loader@localhost/gameevents
  evload check --events events.jsonl --rates exchange_rates.jsonl --rejects /tmp/rejects.jsonl
  evload load  --events dumps/ --rates r.jsonl                  (every dumps/*.jsonl* file, by name)
  evload load  --events 'dumps/events-2010-05-*.jsonl.gz' extra.jsonl.zst --rates r.jsonl
  zcat old.jsonl.gz | evload load --events - --rates r.jsonl    (standard input; no --rejects)
  DATABASE_URL=postgresql:///gameevents evload load --events e.jsonl --rates r.jsonl --report -
  evload generations --db postgresql://ev_loader@localhost/gameevents
  evload rollback    --db postgresql://ev_loader@localhost/gameevents

A load builds a new generation of every table beside the live one and swaps it in with one
short transaction: readers see the old data until then and the new data after, never a mix.
A failed, refused or interrupted load leaves the previous data live. Rerunning the same input is
harmless. The generation a load replaces is kept (--keep-generations, default 1): `evload
rollback` makes it live again with the same swap, `evload generations` lists them.
Several --events files are one dataset, in the order given (directories and patterns sorted by
name): one global order, one dedupe. Rejects name the file and its line (file,line_no,...).

Quality gates, on by default, decide before the swap (docs/operations.md says why these values):
  --max-reject-ratio 0.10  more than 10 % of the judged lines rejected: not made live
  --max-shrink 0.5         users, accepted events or the last data day's active users more than
                           50 % below the live generation's: not made live
  --force                  make it live anyway (an intended shrink, a known-bad day)
`evload check` applies the reject gates; with --db it also compares with the live data.

Ctrl-C or SIGTERM stops a load cleanly (the run is recorded as interrupted, nothing goes live);
a second one kills at once. Passwords in --db, $DATABASE_URL or $PGPASSWORD are never printed.

Exit codes:
  0    success
  1    internal error (a bug: please report it)
  2    usage error (bad or missing options, a malformed connection string, an --events pattern
       that matches no file)
  3    bad input: an events file unreadable, truncated or corrupt (gzip/zstd), an --events
       directory without *.jsonl* files, exchange-rate file invalid, rejects/report not writable;
       rollback: no kept generation to roll back to
  4    a quality gate failed: --max-rejects, --max-reject-ratio or --max-shrink exceeded, or no
       event accepted without --allow-empty (nothing was made live; the status line names the gate)
  5    database error (connection, COPY, index or swap); the previous data is still live
  6    another evload holds the load lock and --no-wait was given
  130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM: nothing was made live)";

void add_db_option(CLI::App& command, ge::LoadOptions& options) {
  command.add_option("--db", options.database,
                     "libpq connection string or URI (default: $DATABASE_URL, else libpq's PG* defaults; connect "
                     "timeout 10 s unless PGCONNECT_TIMEOUT or connect_timeout= says otherwise)");
}

void add_common_options(CLI::App& command, ge::LoadOptions& options, std::vector<std::string>& events,
                        std::string& progress) {
  command
      .add_option("--events", events,
                  "events to read, one JSON event per line: files, directories (their *.jsonl* files, by name), "
                  "glob patterns (quoted: 'dumps/events-2010-05-*.jsonl.gz'), '-' for standard input; several "
                  "are one dataset. gzip and zstd are decompressed, recognised by their content, not their name")
      ->required();
  command.add_option("--rates", options.rates_path, "exchange_rates.jsonl (currency → rate_to_usd)")->required();
  command.add_option("--rejects", options.rejects_path,
                     "write every rejected line, byte for byte (decompressed), to PATH and its "
                     "file,line_no,event_id,reason,detail to PATH.reasons.csv");
  command.add_option("--report", options.report_path, "write the JSON report to PATH ('-' for stdout)");
  command.add_option("--max-rejects", options.max_rejects, "fail (exit 4) when more than N lines are rejected");
  command
      .add_option("--max-reject-ratio", options.max_reject_ratio,
                  "quality gate: fail (exit 4) when rejected / (accepted + rejected) exceeds R (1 turns it off)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command
      .add_option("--max-shrink", options.max_shrink,
                  "quality gate: fail (exit 4) when users, accepted events or the last data day's active users "
                  "would drop by more than this share of the live generation's (1 turns it off)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command.add_flag("--force", options.force,
                   "make the load live whatever the reject and shrink gates say (not an empty file: --allow-empty)");
  command.add_flag("--allow-empty", options.allow_empty,
                   "let a file with no valid event (empty, blank, all rejected) make an empty dataset live; "
                   "without it such a run exits 4 and the live data stays");
  command.add_option("--progress", progress, "live progress on stderr: auto (when it is a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  command.add_flag("-q,--quiet", options.quiet,
                   "print only errors and the one-line summary (status=… lines=… accepted=…) for cron mail");
  command
      .add_option(
          "--read-threads", options.read_threads,
          "threads that read and parse the events files, a file each (a lone plain file over 32 MiB: a half each)")
      ->check(CLI::Range(1, 2))
      ->capture_default_str();
  command
      .add_option("--max-line-bytes", options.max_line_bytes,
                  "lines longer than this are rejected as malformed_json without being held in memory")
      ->capture_default_str();
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"evload — load game events (JSON lines) into PostgreSQL, cleaned per docs/data-contract.md, atomically"};
  app.footer(kFooter);
  app.set_version_flag("--version", "evload " + std::string(ge::kVersion));
  app.require_subcommand(1);

  ge::LoadOptions options;
  const char* env_db = std::getenv("DATABASE_URL");
  if (env_db) options.database = env_db;
  std::vector<std::string> events;
  std::string progress = "auto";
  bool no_wait = false;
  auto* load = app.add_subcommand("load", "clean the events and make them the live data in PostgreSQL");
  add_common_options(*load, options, events, progress);
  add_db_option(*load, options);
  load->add_flag("--no-wait", no_wait, "exit 6 at once if another evload is loading, instead of waiting");
  load->add_flag("--wait-lock", options.wait_lock, "wait for another running evload to finish (the default)");
  load->add_option("--keep-runs", options.keep_runs, "rows of evmeta.load_runs to keep, newest first (0: all)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  load->add_option("--keep-generations", options.keep_generations,
                   "replaced generations kept for `evload rollback` (0: drop the replaced one at once)")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  // Deprecated: each table's indexes are built on its own COPY connection as soon as its COPY
  // ends, so there is no pool of index jobs to size. Still accepted (with the old range) so that
  // old command lines and cron jobs keep working; a warning says it is ignored.
  int ignored_index_jobs = 0;
  load->add_option("--index-jobs", ignored_index_jobs,
                   "deprecated and ignored (each table's indexes are built on its own COPY connection)")
      ->check(CLI::Range(1, 16))
      ->group("Deprecated");
  load->add_option("--copy-block-bytes", options.copy_block_bytes, "bytes per COPY message (64 KiB … 16 MiB)")
      ->check(CLI::Range(std::size_t{1} << 16, std::size_t{1} << 24))
      ->capture_default_str();

  auto* check = app.add_subcommand("check", "clean the events and report; with --db also compare with the live data");
  add_common_options(*check, options, events, progress);
  std::string check_db;
  check->add_option("--db", check_db,
                    "compare with the live generation of this database (read-only; the reader role will do): "
                    "the shrink gate then applies too. Without it check touches no database");

  auto* generations =
      app.add_subcommand("generations", "list the live generation and the kept ones, with run, times and counts");
  add_db_option(*generations, options);

  auto* rollback = app.add_subcommand("rollback", "make the previous generation live again (atomic swap, as a load's)");
  add_db_option(*rollback, options);
  std::optional<std::int64_t> rollback_to;
  rollback->add_option("--to", rollback_to, "the run whose kept generation to make live (default: the newest kept)");
  rollback->add_flag("--no-wait", no_wait, "exit 6 at once if an evload is loading, instead of waiting");
  rollback->add_flag("-q,--quiet", options.quiet, "print only the result and the status line");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(ge::ExitCode::usage);
  }
  if (no_wait) options.wait_lock = false;
  if (load->parsed() && load->count("--index-jobs") > 0) {
    std::cerr << "evload: warning: --index-jobs is deprecated and ignored: each table's indexes are built on its own "
                 "COPY connection as soon as its COPY ends; drop the option\n";
  }
  if (check->parsed() && check->count("--db") > 0) {
    options.database = check_db;
    options.check_against_db = true;
  }
  if (load->parsed() || check->parsed()) {
    try {
      options.events_inputs = ge::expand_inputs(events);
    } catch (const ge::InputUsageError& e) {
      std::cerr << "evload: error: " << e.what() << '\n';
      return static_cast<int>(ge::ExitCode::usage);
    } catch (const std::exception& e) {
      std::cerr << "evload: error: " << e.what() << '\n';
      return static_cast<int>(ge::ExitCode::bad_input);
    }
    options.events_path = ge::describe_inputs(options.events_inputs);
  }
  // The rejects are copied in a second pass over the events files, which standard input cannot
  // give; reopening "-" would copy the lines of whatever file has that name.
  bool reads_stdin = false;
  for (const std::string& path : options.events_inputs) reads_stdin = reads_stdin || path == "-";
  if (options.rejects_path && reads_stdin) {
    std::cerr << "evload: error: --rejects needs --events to name a file: standard input cannot be read twice\n";
    return static_cast<int>(ge::ExitCode::usage);
  }
  static const std::map<std::string, ge::ProgressMode> kModes{
      {"auto", ge::ProgressMode::automatic}, {"always", ge::ProgressMode::always}, {"never", ge::ProgressMode::never}};
  options.progress = kModes.at(progress);

  // libpq waits for a connection forever by default: a cron job against an unreachable host would
  // hang until the next one piles up behind its lock. 10 s unless the environment or the URI
  // (connect_timeout=…) says otherwise.
  ::setenv("PGCONNECT_TIMEOUT", "10", /*overwrite=*/0);
  // From here Ctrl-C and SIGTERM stop the run cleanly (etl/interrupt.hpp).
  ge::install_interrupt_handlers();
  ge::ExitCode code;
  if (load->parsed())
    code = ge::run_load(options);
  else if (check->parsed())
    code = ge::run_check(options);
  else if (generations->parsed())
    code = ge::run_generations(options);
  else
    code = ge::run_rollback(options, rollback_to);
  return static_cast<int>(code);
}
