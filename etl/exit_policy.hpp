#pragma once
// How a run of evload ends: the exit codes, and for every error a load or check can meet, the
// code, the message and what its row in evmeta.load_runs records. The codes are documented in
// `evload --help` (etl/command_line.cpp).
#include <exception>
#include <optional>
#include <string>
#include <string_view>

namespace ge {

enum class ExitCode : int {
  ok = 0,
  internal_error = 1,
  usage = 2,
  bad_input = 3,              // unreadable events file, bad exchange-rate file, rejects file not writable
  reject_limit = 4,           // --max-rejects / --max-reject-ratio exceeded, or no event without --allow-empty:
                              // nothing was made live
  database = 5,               // connection, COPY, index or swap failed: the previous generation is intact
  lock_busy = 6,              // --no-wait and another evload holds the load lock
  interrupted_sigint = 130,   // 128 + SIGINT: stopped cleanly, nothing made live
  interrupted_sigterm = 143,  // 128 + SIGTERM
};

// The status= word of the summary line for an exit code ("database_error" for 5, …).
std::string_view exit_status_name(ExitCode code);
// 130 for SIGINT, 143 for SIGTERM.
ExitCode interrupted_exit(int signal_number);

// How one `evload load` or `evload check` ends; the run carries it out in one place.
struct RunEnding {
  ExitCode code = ExitCode::ok;
  // A run that got through its phases (a success, or a refusal by a quality gate) prints its report
  // and summary line with this status= word and these figures; any other prints an error only.
  std::optional<std::string> report_status;
  std::string gate_figures;
  std::optional<std::string> error;  // printed, redacted, as "evload: error: …"
  // The run's row in evmeta.load_runs (when it has one) ends with this error, this status and,
  // when with_report, the report so far ("{}" otherwise).
  std::optional<std::string> recorded_error;
  const char* recorded_status = "failed";
  bool recorded_with_report = false;
};

// Where the run was when it stopped: what the messages may promise.
struct RunState {
  bool load = false;     // evload load (else check)
  bool has_run = false;  // a generation and its load_runs row exist
  bool swapped = false;  // the new generation is live: nothing can undo it any more
};

// The ending of a run stopped by `error` (an exception caught by the run).
RunEnding ending_for(const std::exception_ptr& error, const RunState& state);

// The ending (code and error) of `evload generations` or `evload rollback` stopped by `error`.
// Neither records a run, and neither changes anything until its one swap commits. Any other
// exception than a signal, the lock or the database is a refusal of the request, such as
// a rollback with no kept generation to make live: bad input, exit 3.
RunEnding database_command_ending(const std::exception_ptr& error);

}  // namespace ge
