// evload: loads a game's events.jsonl into PostgreSQL, cleaned as docs/data-contract.md says, atomically.
// This file only starts it: the command line (command_line.hpp), then the subcommand's run
// (load_command.hpp), whose exit code is the process's (exit_policy.hpp).
#include <cstdlib>

#include "etl/command_line.hpp"
#include "etl/exit_policy.hpp"
#include "etl/interrupt.hpp"
#include "etl/load_command.hpp"

namespace {

ge::ExitCode run(const ge::CommandLine& command_line) {
  const ge::LoadOptions& options = command_line.options;
  switch (command_line.command) {
    case ge::Command::load: return ge::run_load(options);
    case ge::Command::check: return ge::run_check(options);
    case ge::Command::generations: return ge::run_generations(options);
    case ge::Command::rollback: return ge::run_rollback(options, command_line.rollback_to);
  }
  return ge::ExitCode::internal_error;
}

}  // namespace

int main(int argc, char** argv) {
  const ge::CommandLine command_line = ge::parse_command_line(argc, argv);
  if (command_line.exit_code) return static_cast<int>(*command_line.exit_code);
  // libpq waits for a connection forever by default: a cron job against an unreachable host would
  // hang until the next one piles up behind its lock. 10 s unless the environment or the URI
  // (connect_timeout=…) says otherwise.
  ::setenv("PGCONNECT_TIMEOUT", "10", /*overwrite=*/0);
  // From here Ctrl-C and SIGTERM stop the run cleanly (etl/interrupt.hpp).
  ge::install_interrupt_handlers();
  return static_cast<int>(run(command_line));
}
