#pragma once
// `evload load` and `evload check`: the whole run, from files to a live generation (or a report).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "etl/exit_policy.hpp"
#include "etl/line_reader.hpp"
#include "etl/progress.hpp"
#include "etl/quality_gates.hpp"
#include "etl/table_output.hpp"

namespace ge {

// How a load writes its generation's tables (etl/generation_writer.hpp): all on the load's own
// connection, or streamed on kWriterLanes COPY connections.
enum class WritePlan : std::uint8_t { one_connection, lanes };

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
  int keep_generations = 1;       // retired generations kept for `evload rollback`
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
  int read_threads = 2;  // 1 or 2; files under 32 MiB are always read by one
  int keep_runs = 30;    // load_runs rows kept (the newest); 0 keeps all
  // nullopt (every real load): chosen by the events parsed, one connection below
  // kOneConnectionMaxEvents. Set by tests only, which load one input with each plan and compare
  // (tests/integration/write_plans_test.cpp); no command-line option sets it.
  std::optional<WritePlan> write_plan;
};

// Returns the process exit code; prints the summary, report and errors as the options say.
ExitCode run_load(const LoadOptions& options);
ExitCode run_check(const LoadOptions& options);
// `evload generations` and `evload rollback [--to RUN]` (etl/generations.hpp).
ExitCode run_generations(const LoadOptions& options);
ExitCode run_rollback(const LoadOptions& options, std::optional<std::int64_t> run_id);

}  // namespace ge
