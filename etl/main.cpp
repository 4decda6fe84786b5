// evload: loads a game's events.jsonl into PostgreSQL, cleaned as docs/data-contract.md says, atomically.
// This file is the command line only; the work is in load_command.cpp.

// GCC 12 sees a "potential null pointer dereference" in std::string's move, inlined into
// CLI11's detail::split, which the multi-value --events option instantiates: a false positive in
// library code. The pragma must come first: the warning is placed in <string>'s own lines.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <cstdlib>
#include <iostream>
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/version.hpp"
#include "etl/input_files.hpp"
#include "etl/load_command.hpp"

namespace {
constexpr const char* kFooter = R"(Examples:
  evload load  --events data/events.jsonl --rates data/exchange_rates.jsonl --db postgresql://loader@localhost/gameevents
  evload check --events events.jsonl --rates exchange_rates.jsonl --rejects /tmp/rejects.jsonl
  evload load  --events dumps/ --rates r.jsonl                  (every dumps/*.jsonl* file, by name)
  evload load  --events 'dumps/events-2010-05-*.jsonl.gz' extra.jsonl.zst --rates r.jsonl
  zcat old.jsonl.gz | evload load --events - --rates r.jsonl    (standard input; no --rejects)
  DATABASE_URL=postgresql:///gameevents evload load --events e.jsonl --rates r.jsonl --max-reject-ratio 0.05 --report -

A load builds a new generation of every table beside the live one and swaps it in with one
short transaction: readers see the old data until then and the new data after, never a mix.
A failed or killed load leaves the previous data live. Rerunning the same input is harmless.
Several --events files are one dataset, in the order given (directories and patterns sorted by
name): one global order, one dedupe. Rejects name the file and its line (file,line_no,...).

Exit codes:
  0  success
  1  internal error (a bug: please report it)
  2  usage error (bad or missing options, an --events pattern that matches no file)
  3  bad input: an events file unreadable, truncated or corrupt (gzip/zstd), an --events
     directory without *.jsonl* files, exchange-rate file invalid, rejects/report not writable
  4  a limit failed: --max-rejects or --max-reject-ratio exceeded, or no event accepted
     without --allow-empty (nothing was made live)
  5  database error (connection, COPY, index or swap); the previous data is still live
  6  another evload holds the load lock and --no-wait was given)";

void add_common_options(CLI::App& command, ge::LoadOptions& options, std::vector<std::string>& events,
                        std::string& progress) {
  command.add_option("--events", events,
                     "events to read, one JSON event per line: files, directories (their *.jsonl* files, by name), "
                     "glob patterns (quoted: 'dumps/events-2010-05-*.jsonl.gz'), '-' for standard input; several "
                     "are one dataset. gzip and zstd are decompressed, recognised by their content, not their name")
      ->required();
  command.add_option("--rates", options.rates_path, "exchange_rates.jsonl (currency → rate_to_usd)")
      ->required();
  command.add_option("--rejects", options.rejects_path,
                     "write every rejected line, byte for byte (decompressed), to PATH and its "
                     "file,line_no,event_id,reason,detail to PATH.reasons.csv");
  command.add_option("--report", options.report_path, "write the JSON report to PATH ('-' for stdout)");
  command.add_option("--max-rejects", options.max_rejects, "fail (exit 4) when more than N lines are rejected");
  command.add_option("--max-reject-ratio", options.max_reject_ratio,
                     "fail (exit 4) when rejected / (accepted + rejected) exceeds R")
      ->check(CLI::Range(0.0, 1.0));
  command.add_flag("--allow-empty", options.allow_empty,
                   "let a file with no valid event (empty, blank, all rejected) make an empty dataset live; "
                   "without it such a run exits 4 and the live data stays");
  command.add_option("--progress", progress, "live progress on stderr: auto (when it is a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  command.add_flag("-q,--quiet", options.quiet,
                   "print only errors and the one-line summary (status=… lines=… accepted=…) for cron mail");
  command.add_option("--read-threads", options.read_threads, "threads that read and parse the events files, a file each (a lone plain file over 32 MiB: a half each)")
      ->check(CLI::Range(1, 2))
      ->capture_default_str();
  command.add_option("--max-line-bytes", options.max_line_bytes,
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
  std::vector<std::string> events;
  std::string progress = "auto";
  auto* load = app.add_subcommand("load", "clean the events and make them the live data in PostgreSQL");
  add_common_options(*load, options, events, progress);
  const char* env_db = std::getenv("DATABASE_URL");
  if (env_db) options.database = env_db;
  load->add_option("--db", options.database,
                   "libpq connection string or URI (default: $DATABASE_URL, else libpq's PG* defaults; connect timeout 10 s unless PGCONNECT_TIMEOUT or connect_timeout= says otherwise)");
  bool no_wait = false;
  load->add_flag("--no-wait", no_wait, "exit 6 at once if another evload is loading, instead of waiting");
  load->add_flag("--wait-lock", options.wait_lock, "wait for another running evload to finish (the default)");
  load->add_option("--keep-runs", options.keep_runs, "rows of evmeta.load_runs to keep, newest first (0: all)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  load->add_option("--index-jobs", options.index_jobs, "connections that build indexes in parallel")
      ->check(CLI::Range(1, 16))
      ->capture_default_str();
  load->add_option("--copy-block-bytes", options.copy_block_bytes, "bytes per COPY message (64 KiB … 16 MiB)")
      ->check(CLI::Range(std::size_t{1} << 16, std::size_t{1} << 24))
      ->capture_default_str();

  auto* check = app.add_subcommand("check", "clean the events and report, without a database");
  add_common_options(*check, options, events, progress);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(ge::ExitCode::usage);
  }
  if (no_wait) options.wait_lock = false;
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
  const ge::ExitCode code = load->parsed() ? ge::run_load(options) : ge::run_check(options);
  return static_cast<int>(code);
}
