#pragma once
// `evload load` and `evload check`: the whole run, from files to a live generation (or a report).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "etl/line_reader.hpp"
#include "etl/progress.hpp"
#include "etl/quality_gates.hpp"
#include "etl/table_output.hpp"

namespace ge {

// Documented in `evload --help`.
enum class ExitCode : int {
  ok = 0,
  internal_error = 1,
  usage = 2,
  bad_input = 3,     // unreadable events file, bad exchange-rate file, rejects file not writable
  reject_limit = 4,  // --max-rejects / --max-reject-ratio exceeded, or no event without --allow-empty:
                     // nothing was made live
  database = 5,      // connection, COPY, index or swap failed: the previous generation is intact
  lock_busy = 6,     // --no-wait and another evload holds the load lock
  interrupted_sigint = 130,   // 128 + SIGINT: stopped cleanly, nothing made live
  interrupted_sigterm = 143,  // 128 + SIGTERM
};

struct LoadOptions {
  std::string events_path;                 // the inputs as the report and load_runs name them
  std::vector<std::string> events_inputs;  // the files to read (expand_inputs); empty: {events_path}
  std::string rates_path;
  std::string database;  // libpq conninfo or URI; empty: libpq defaults
  std::optional<std::string> rejects_path;
  std::optional<std::string> report_path;  // "-" for stdout
  std::optional<std::uint64_t> max_rejects;
  // The quality gates (etl/quality_gates.hpp): on by default.
  double max_reject_ratio = kDefaultMaxRejectRatio;
  double max_shrink = kDefaultMaxShrink;
  bool force = false;
  int keep_generations = 1;  // retired generations kept for `evload rollback`
  bool check_against_db = false;  // evload check --db: the shrink gate against the live data too
  ProgressMode progress = ProgressMode::automatic;
  bool quiet = false;
  bool wait_lock = true;
  // A run that accepts no event (empty file, blank lines only, or every line rejected) would
  // replace the live data with nothing: almost always a broken export upstream, so it fails like a
  // reject limit unless asked for.
  bool allow_empty = false;
  std::size_t max_line_bytes = LineReader::kDefaultMaxLineBytes;
  std::size_t copy_block_bytes = TableOutput::kDefaultBlockBytes;
  int index_jobs = 2;
  int read_threads = 2;  // 1 or 2; files under 32 MiB are always read by one
  int keep_runs = 30;     // load_runs rows kept (the newest); 0 keeps all
};

// The status= word of the summary line for an exit code ("database_error" for 5, …).
std::string_view exit_status_name(ExitCode code);

// Returns the process exit code; prints the summary, report and errors as the options say.
ExitCode run_load(const LoadOptions& options);
ExitCode run_check(const LoadOptions& options);
// `evload generations` and `evload rollback [--to RUN]` (etl/generations.hpp).
ExitCode run_generations(const LoadOptions& options);
ExitCode run_rollback(const LoadOptions& options, std::optional<std::int64_t> run_id);

}  // namespace ge
