// GCC 12 sees a "potential null pointer dereference" in std::string's move, inlined into
// CLI11's detail::split, which the multi-value --events option instantiates: a false positive in
// library code. The pragma must come first: the warning is placed in <string>'s own lines.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include "etl/command_line.hpp"

#include <CLI/CLI.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/cli_whole_number.hpp"
#include "common/version.hpp"
#include "etl/input_files.hpp"

namespace ge {
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

// What CLI11 fills besides LoadOptions: text still to interpret, and the flags whose meaning
// depends on the subcommand.
struct Flags {
  std::vector<std::string> events;  // --events as given: files, directories, patterns, '-'
  std::string progress = "auto";
  bool no_wait = false;
  int ignored_index_jobs = 0;  // --index-jobs (deprecated)
  std::string check_db;        // evload check --db: the database to compare with, not to load into
  std::optional<std::int64_t> rollback_to;
};

struct Subcommands {
  CLI::App* load = nullptr;
  CLI::App* check = nullptr;
  CLI::App* generations = nullptr;
  CLI::App* rollback = nullptr;
};

// The options by concern. `evload load --help` lists them in the order they are added (and CLI11
// checks them in that order): build_app() calls these in that order, which interleaves concerns.

// Inputs: what to read.
void add_event_inputs(CLI::App& command, LoadOptions& options, Flags& flags) {
  command
      .add_option("--events", flags.events,
                  "events to read, one JSON event per line: files, directories (their *.jsonl* files, by name), "
                  "glob patterns (quoted: 'dumps/events-2010-05-*.jsonl.gz'), '-' for standard input; several "
                  "are one dataset. gzip and zstd are decompressed, recognised by their content, not their name")
      ->required();
  command.add_option("--rates", options.rates_path, "exchange_rates.jsonl (currency → rate_to_usd)")->required();
}

// Inputs: how to read them.
void add_reading_limits(CLI::App& command, LoadOptions& options) {
  command
      .add_option(
          "--read-threads", options.read_threads,
          "threads that read and parse the events files, a file each (a lone plain file over 32 MiB: a half each)")
      ->check(CLI::Range(1, 2))
      ->capture_default_str();
  command
      .add_option("--max-line-bytes", options.max_line_bytes,
                  "lines longer than this are rejected as malformed_json without being held in memory")
      ->check(whole_number_from(1))
      ->capture_default_str();
}

// Output: the files a run writes besides the database.
void add_output_files(CLI::App& command, LoadOptions& options) {
  command.add_option("--rejects", options.rejects_path,
                     "write every rejected line, byte for byte (decompressed), to PATH and its "
                     "file,line_no,event_id,reason,detail to PATH.reasons.csv");
  command.add_option("--report", options.report_path, "write the JSON report to PATH ('-' for stdout)");
}

// Output: what the terminal shows.
void add_progress_output(CLI::App& command, LoadOptions& options, Flags& flags) {
  command
      .add_option("--progress", flags.progress, "live progress on stderr: auto (when it is a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  command.add_flag("-q,--quiet", options.quiet,
                   "print only errors and the one-line summary (status=… lines=… accepted=…) for cron mail");
}

// Quality gates: when a run is not made live (etl/quality_gates.hpp).
void add_quality_gates(CLI::App& command, LoadOptions& options) {
  command.add_option("--max-rejects", options.max_rejects, "fail (exit 4) when more than N lines are rejected")
      ->check(whole_number_from(0));
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
}

// Database: where to connect ($DATABASE_URL is read before parsing, as the default).
void add_database(CLI::App& command, LoadOptions& options) {
  command.add_option("--db", options.database,
                     "libpq connection string or URI (default: $DATABASE_URL, else libpq's PG* defaults; connect "
                     "timeout 10 s unless PGCONNECT_TIMEOUT or connect_timeout= says otherwise)");
}

// Database: the load lock and what a load keeps of the past.
void add_load_lock_and_retention(CLI::App& load, LoadOptions& options, Flags& flags) {
  load.add_flag("--no-wait", flags.no_wait, "exit 6 at once if another evload is loading, instead of waiting");
  load.add_flag("--wait-lock", options.wait_lock, "wait for another running evload to finish (the default)");
  load.add_option("--keep-runs", options.keep_runs, "rows of evmeta.load_runs to keep, newest first (0: all)")
      ->check(whole_number_from(0))
      ->capture_default_str();
  load.add_option("--keep-generations", options.keep_generations,
                  "replaced generations kept for `evload rollback` (0: drop the replaced one at once)")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
}

// Database: how the COPY is sent.
void add_copy_tuning(CLI::App& load, LoadOptions& options) {
  load.add_option("--copy-block-bytes", options.copy_block_bytes, "bytes per COPY message (64 KiB … 16 MiB)")
      ->check(CLI::Range(std::size_t{1} << 16, std::size_t{1} << 24))
      ->capture_default_str();
}

// Deprecated: each table's indexes are built on its own COPY connection as soon as its COPY
// ends, so there is no pool of index jobs to size. Still accepted (with the old range) so that
// old command lines and cron jobs keep working; warn_deprecated() says it is ignored.
void add_deprecated(CLI::App& load, Flags& flags) {
  load.add_option("--index-jobs", flags.ignored_index_jobs,
                  "deprecated and ignored (each table's indexes are built on its own COPY connection)")
      ->check(CLI::Range(1, 16))
      ->group("Deprecated");
}

void warn_deprecated(const Subcommands& commands) {
  if (commands.load->parsed() && commands.load->count("--index-jobs") > 0) {
    std::cerr << "evload: warning: --index-jobs is deprecated and ignored: each table's indexes are built on its own "
                 "COPY connection as soon as its COPY ends; drop the option\n";
  }
}

// What `load` and `check` share: reading and cleaning the events.
void add_cleaning_options(CLI::App& command, LoadOptions& options, Flags& flags) {
  add_event_inputs(command, options, flags);
  add_output_files(command, options);
  add_quality_gates(command, options);
  add_progress_output(command, options, flags);
  add_reading_limits(command, options);
}

// The app, its four subcommands and their options, bound to `options` and `flags`.
Subcommands build_app(CLI::App& app, LoadOptions& options, Flags& flags) {
  app.footer(kFooter);
  app.set_version_flag("--version", "evload " + std::string(kVersion));
  app.require_subcommand(1);
  Subcommands commands;

  commands.load = app.add_subcommand("load", "clean the events and make them the live data in PostgreSQL");
  add_cleaning_options(*commands.load, options, flags);
  add_database(*commands.load, options);
  add_load_lock_and_retention(*commands.load, options, flags);
  add_deprecated(*commands.load, flags);
  add_copy_tuning(*commands.load, options);

  commands.check =
      app.add_subcommand("check", "clean the events and report; with --db also compare with the live data");
  add_cleaning_options(*commands.check, options, flags);
  commands.check->add_option("--db", flags.check_db,
                             "compare with the live generation of this database (read-only; the reader role will "
                             "do): the shrink gate then applies too. Without it check touches no database");

  commands.generations =
      app.add_subcommand("generations", "list the live generation and the kept ones, with run, times and counts");
  add_database(*commands.generations, options);

  commands.rollback =
      app.add_subcommand("rollback", "make the previous generation live again (atomic swap, as a load's)");
  add_database(*commands.rollback, options);
  commands.rollback->add_option("--to", flags.rollback_to,
                                "the run whose kept generation to make live (default: the newest kept)");
  commands.rollback->add_flag("--no-wait", flags.no_wait, "exit 6 at once if an evload is loading, instead of waiting");
  commands.rollback->add_flag("-q,--quiet", options.quiet, "print only the result and the status line");
  return commands;
}

// --events as the files to read; the exit code when it names none (said on stderr).
std::optional<ExitCode> expand_events(const std::vector<std::string>& events, LoadOptions& options) {
  try {
    options.events_inputs = expand_inputs(events);
  } catch (const InputUsageError& e) {
    std::cerr << "evload: error: " << e.what() << '\n';
    return ExitCode::usage;
  } catch (const std::exception& e) {
    std::cerr << "evload: error: " << e.what() << '\n';
    return ExitCode::bad_input;
  }
  options.events_path = describe_inputs(options.events_inputs);
  return std::nullopt;
}

// What the parsed flags mean for the subcommand given; the exit code (said on stderr) of an error
// CLI11 cannot see.
std::optional<ExitCode> apply(const Subcommands& commands, const Flags& flags, CommandLine& result) {
  LoadOptions& options = result.options;
  if (flags.no_wait) options.wait_lock = false;
  warn_deprecated(commands);
  if (commands.check->parsed() && commands.check->count("--db") > 0) {
    options.database = flags.check_db;
    options.check_against_db = true;
  }
  if (commands.load->parsed() || commands.check->parsed()) {
    if (auto code = expand_events(flags.events, options)) return code;
  }
  // The rejects are copied in a second pass over the events files, which standard input cannot
  // give; reopening "-" would copy the lines of whatever file has that name.
  bool reads_stdin = false;
  for (const std::string& path : options.events_inputs) reads_stdin = reads_stdin || path == "-";
  if (options.rejects_path && reads_stdin) {
    std::cerr << "evload: error: --rejects needs --events to name a file: standard input cannot be read twice\n";
    return ExitCode::usage;
  }
  static const std::map<std::string, ProgressMode> kModes{
      {"auto", ProgressMode::automatic}, {"always", ProgressMode::always}, {"never", ProgressMode::never}};
  options.progress = kModes.at(flags.progress);

  if (commands.load->parsed())
    result.command = Command::load;
  else if (commands.check->parsed())
    result.command = Command::check;
  else if (commands.generations->parsed())
    result.command = Command::generations;
  else
    result.command = Command::rollback;
  result.rollback_to = flags.rollback_to;
  return std::nullopt;
}

}  // namespace

CommandLine parse_command_line(int argc, const char* const* argv) {
  CommandLine result;
  if (const char* env_db = std::getenv("DATABASE_URL")) result.options.database = env_db;
  Flags flags;
  CLI::App app{"evload — load game events (JSON lines) into PostgreSQL, cleaned per docs/data-contract.md, atomically"};
  const Subcommands commands = build_app(app, result.options, flags);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11's own codes (105, 106, …) are not evload's: every usage error is 2.
    result.exit_code = app.exit(e) == 0 ? ExitCode::ok : ExitCode::usage;
    return result;
  }
  result.exit_code = apply(commands, flags, result);
  return result;
}

}  // namespace ge
