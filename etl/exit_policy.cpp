#include "etl/exit_policy.hpp"

#include <csignal>

#include "common/db/connection.hpp"
#include "etl/exchange_rates.hpp"
#include "etl/input_error.hpp"
#include "etl/interrupt.hpp"
#include "etl/load_lock.hpp"

namespace ge {
namespace {

RunEnding error_ending(ExitCode code, std::string error) {
  RunEnding ending;
  ending.code = code;
  ending.error = std::move(error);
  return ending;
}

// Recorded in load_runs as failed, without a report.
RunEnding failed_ending(ExitCode code, const std::string& cause, std::string error) {
  RunEnding ending = error_ending(code, std::move(error));
  ending.recorded_error = cause;
  return ending;
}

RunEnding interrupted(const Interrupted& e, const RunState& state) {
  if (state.swapped) {  // the signal came during the swap's last step: the load went live
    RunEnding ending;
    ending.report_status = "ok";
    return ending;
  }
  RunEnding ending = error_ending(
      interrupted_exit(e.signal_number()),
      std::string(e.what()) +
          (state.load ? ": nothing was made live, the previous data (if any) is still live and unchanged" : ""));
  ending.recorded_error = e.what();
  ending.recorded_status = "interrupted";
  ending.recorded_with_report = true;
  return ending;
}

RunEnding bad_input(const InputError& e, const RunState& state) {
  if (state.swapped)  // only the report file is left to write after the swap
    return error_ending(ExitCode::bad_input,
                        std::string(e.what()) + "\nthe load itself succeeded: the new data is live");
  if (state.has_run)
    return failed_ending(
        ExitCode::bad_input, e.what(),
        std::string(e.what()) + "\nnothing was loaded: the previous data (if any) is still live and unchanged");
  return error_ending(ExitCode::bad_input, e.what());
}

}  // namespace

std::string_view exit_status_name(ExitCode code) {
  switch (code) {
    case ExitCode::ok: return "ok";
    case ExitCode::internal_error: return "internal_error";
    case ExitCode::usage: return "usage";
    case ExitCode::bad_input: return "bad_input";
    case ExitCode::reject_limit: return "reject_limit";
    case ExitCode::database: return "database_error";
    case ExitCode::lock_busy: return "lock_busy";
    case ExitCode::interrupted_sigint:
    case ExitCode::interrupted_sigterm: return "interrupted";
  }
  return "unknown";
}

ExitCode interrupted_exit(int signal_number) {
  return signal_number == SIGINT ? ExitCode::interrupted_sigint : ExitCode::interrupted_sigterm;
}

RunEnding ending_for(const std::exception_ptr& error, const RunState& state) {
  try {
    std::rethrow_exception(error);
  } catch (const Interrupted& e) {
    return interrupted(e, state);
  } catch (const RatesError& e) {
    return error_ending(ExitCode::bad_input, e.what());
  } catch (const InputError& e) {
    return bad_input(e, state);
  } catch (const LockBusy& e) {
    return error_ending(ExitCode::lock_busy, e.what());
  } catch (const db::Error& e) {
    return failed_ending(ExitCode::database, e.what(),
                         std::string(e.what()) + "\nthe previous data (if any) is still live and unchanged");
  } catch (const std::exception& e) {
    return failed_ending(ExitCode::internal_error, e.what(), std::string("internal error: ") + e.what());
  }
}

RunEnding database_command_ending(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const Interrupted& e) {
    return error_ending(interrupted_exit(e.signal_number()), std::string(e.what()) + ": nothing was changed");
  } catch (const LockBusy& e) {
    return error_ending(ExitCode::lock_busy, e.what());
  } catch (const db::Error& e) {
    return error_ending(ExitCode::database, std::string(e.what()) + "\nthe live data is unchanged");
  } catch (const std::exception& e) {
    return error_ending(ExitCode::bad_input, e.what());
  }
}

}  // namespace ge
