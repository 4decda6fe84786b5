// evserve's command line (server/command_line.hpp): flags and environment into a ServerConfig,
// every usage error exit 2, --help and --version exit 0.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "server/command_line.hpp"

using ge::server::CommandLine;
using ge::server::kExitUsage;

namespace {

CommandLine parse(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"evserve"};
  for (const auto& arg : args) argv.push_back(arg.c_str());
  return ge::server::parse_command_line(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

TEST_CASE("command line: flags become the server's settings", "[command_line]") {
  const auto parsed = parse({"--db",
                             "postgresql://reader@db/events",
                             "--port",
                             "0",
                             "--listen",
                             "127.0.0.1",
                             "--threads",
                             "3",
                             "--pool-timeout-ms",
                             "250",
                             "--statement-timeout-ms",
                             "900",
                             "--read-timeout-ms",
                             "1500",
                             "--shutdown-grace-ms",
                             "0",
                             "--max-replica-lag-ms",
                             "5000",
                             "--replica-check-ms",
                             "20",
                             "--query-pipeline-depth",
                             "0",
                             "--access-log",
                             "--cors-origin",
                             "off",
                             "--max-connections",
                             "77"});
  REQUIRE_FALSE(parsed.exit_code);
  const auto& config = parsed.config;
  CHECK(config.pool.conninfo == "postgresql://reader@db/events");
  CHECK(config.port == 0);
  CHECK(config.listen == "127.0.0.1");
  CHECK(config.threads == 3);
  CHECK(config.pool.size == 4);  // max(4, threads) when not given
  CHECK(config.pool.acquire_timeout == std::chrono::milliseconds(250));
  CHECK(config.pool.statement_timeout == std::chrono::milliseconds(900));
  CHECK(config.read_timeout == std::chrono::milliseconds(1500));
  CHECK(config.shutdown_grace == std::chrono::milliseconds(0));
  CHECK(config.max_replica_lag == std::chrono::milliseconds(5000));
  CHECK(config.replica_check_interval == std::chrono::milliseconds(20));
  CHECK(config.query_pipeline_depth == 0);
  CHECK(config.access_log);
  CHECK(config.max_connections == 77);
  CHECK(parse({"--threads", "12"}).config.pool.size == 12);
  CHECK(parse({"--threads", "12", "--pool-size", "5"}).config.pool.size == 5);
  CHECK(parse({}).config.max_connections == 0);  // main derives it from the descriptor limit
}

TEST_CASE("command line: the environment fills what the flags leave", "[command_line]") {
  ::setenv("EVSERVE_PORT", "9123", 1);
  ::setenv("DATABASE_URL", "postgresql:///from_env", 1);
  const auto from_env = parse({});
  const auto flag_wins = parse({"--port", "9124"});
  ::unsetenv("EVSERVE_PORT");
  ::unsetenv("DATABASE_URL");
  REQUIRE_FALSE(from_env.exit_code);
  CHECK(from_env.config.port == 9123);
  CHECK(from_env.config.pool.conninfo == "postgresql:///from_env");
  CHECK(flag_wins.config.port == 9124);
}

TEST_CASE("command line: every usage error is exit 2, --help and --version exit 0", "[command_line]") {
  CHECK(parse({"--help"}).exit_code == 0);
  CHECK(parse({"--version"}).exit_code == 0);
  for (const std::vector<std::string>& bad :
       std::vector<std::vector<std::string>>{{"--bogus"},
                                             {"--port", "65536"},
                                             {"--port", "eighty"},
                                             {"--threads", "0"},
                                             {"--pool-timeout-ms", "0"},
                                             {"--replica-check-ms", "5"},
                                             {"--auth-scope", "everyone"},
                                             {"--cors-origin", "https://a.example/with/a/path"},
                                             {"--db", "postgresq://u:secret@host/db"},
                                             {"--auth-token-file", "/nonexistent/evserve-tokens"},
                                             {"--gzip-min-bytes", "-1"},  // not wrapped round to 2^64 - 1
                                             {"positional"}}) {
    INFO(bad.front());
    CHECK(parse(bad).exit_code == kExitUsage);
  }
}

TEST_CASE("command line: a token file guards the routes its scope names", "[command_line]") {
  const auto path = std::filesystem::temp_directory_path() / "evserve-command-line-tokens";
  std::ofstream(path) << "# tokens\nsecret-token-1\n";
  const auto users = parse({"--auth-token-file", path.string()});
  const auto all = parse({"--auth-token-file", path.string(), "--auth-scope", "all"});
  std::filesystem::remove(path);
  REQUIRE_FALSE(users.exit_code);
  REQUIRE_FALSE(all.exit_code);
  CHECK(users.config.auth.guards("/v1/users/{user_id}/stats"));
  CHECK_FALSE(users.config.auth.guards("/v1/game/stats"));
  CHECK(all.config.auth.guards("/v1/game/stats"));
  CHECK(users.config.auth.admits("Bearer secret-token-1"));
  CHECK_FALSE(users.config.auth.admits("Bearer secret-token-2"));
  CHECK_FALSE(parse({}).config.auth.enabled());
}
