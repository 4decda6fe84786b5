#pragma once
// evload's command line: the subcommands, their options grouped by concern, $DATABASE_URL, and the
// checks CLI11 cannot make (--events expanded to files, --rejects with standard input), turned into
// LoadOptions. main.cpp only runs what this returns.
#include <cstdint>
#include <optional>

#include "etl/exit_policy.hpp"
#include "etl/load_command.hpp"

namespace ge {

enum class Command { load, check, generations, rollback };

struct CommandLine {
  Command command = Command::load;
  LoadOptions options;
  std::optional<std::int64_t> rollback_to;  // evload rollback --to RUN
  // Set when evload ends here: ExitCode::ok after --help or --version; ExitCode::usage after a usage
  // error, ExitCode::bad_input for an --events directory without *.jsonl* files (both said on stderr).
  std::optional<ExitCode> exit_code;
};

// Reads argv and $DATABASE_URL (the default of --db; `check` compares with a database only when
// its --db is given). A deprecated option is accepted with a warning on stderr.
CommandLine parse_command_line(int argc, const char* const* argv);

}  // namespace ge
