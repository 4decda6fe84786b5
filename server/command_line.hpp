#pragma once
// evserve's command line: every option with its environment variable, its check and its help,
// turned into a ServerConfig. main.cpp only runs what this returns.
#include <optional>

#include "server/config.hpp"

namespace ge::server {

// evserve's exit codes (docs/operations.md).
inline constexpr int kExitStartup = 1;       // cannot start: the port, the address
inline constexpr int kExitUsage = 2;         // a bad option, a malformed connection string, a bad token file
inline constexpr int kExitLoginRefused = 3;  // PostgreSQL refuses the login

struct CommandLine {
  ServerConfig config;
  // Set when evserve ends here: 0 after --help or --version, kExitUsage after a usage error (said
  // on stderr, without the connection string's password).
  std::optional<int> exit_code;
};

// Reads argv and the EVSERVE_* / DATABASE_URL environment. max_connections stays 0 when not
// given: the caller derives it from the descriptor limit (descriptor_budget.hpp).
CommandLine parse_command_line(int argc, const char* const* argv);

}  // namespace ge::server
