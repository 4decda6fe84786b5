#include "server/command_line.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/cli_whole_number.hpp"
#include "common/db/conninfo.hpp"
#include "common/version.hpp"
#include "server/cors.hpp"
#include "server/listen_address.hpp"

namespace ge::server {
namespace {

// What CLI11 fills before it becomes a ServerConfig: durations as milliseconds, text to parse.
struct Flags {
  int port = 8086;
  long long pool_timeout_ms = 0;
  long long read_timeout_ms = 0;
  long long statement_timeout_ms = 0;
  long long shutdown_grace_ms = 0;
  long long max_replica_lag_ms = 0;
  long long replica_check_ms = 0;
  std::string auth_token_file;
  std::string auth_scope = "users";
  std::string cors_origin = "*";
};

constexpr const char* kFooter =
    R"(Endpoints: /v1/users/{user_id}/stats[?date=], /v1/game/stats[?date=][&country=|&group_by=country],
/v1/game/daily?from=&to=[&country=], /v1/game/retention?from=&to=[&country=], /queryUserData,
/queryGameData, /v1/loads/latest, /healthz, /readyz, /metrics, /openapi.json; the dashboard at /
(its files under /assets/). &format=csv on /v1/game/stats, /v1/game/daily and /v1/game/retention
answers RFC 4180 CSV with a header row, as a download.

Examples:
  evserve --db postgresql://postgres@127.0.0.1:5432/events
  DATABASE_URL=postgresql:///events EVSERVE_PORT=9000 evserve --threads 4 --pool-size 8
  evserve --db 'host=/run/postgresql dbname=events' --listen 127.0.0.1 --port 0 --access-log
  curl 'http://localhost:8086/v1/game/stats?date=2010-05-08&country=DE'
  curl 'http://localhost:8086/v1/game/retention?from=2010-05-08&to=2010-05-22&format=csv')";

void add_listener_options(CLI::App& app, ServerConfig& config, Flags& flags) {
  app.add_option("--port", flags.port, "TCP port; 0 picks a free one")
      ->envname("EVSERVE_PORT")
      ->check(CLI::Range(0, 65535));
  app.add_option("--listen", config.listen, "address or host name to listen on (localhost: loopback)")
      ->envname("EVSERVE_LISTEN");
  app.add_option("--threads", config.threads,
                 "I/O threads (default: hardware concurrency; on a machine shared with PostgreSQL, about half "
                 "the cores do better)")
      ->envname("EVSERVE_THREADS")
      ->check(CLI::Range(1U, 1024U));
  app.add_option("--read-timeout-ms", flags.read_timeout_ms,
                 "deadline to receive a whole request (and keep-alive idle timeout)")
      ->envname("EVSERVE_READ_TIMEOUT_MS")
      ->check(CLI::Range(1LL, 3600000LL));
  app.add_option("--shutdown-grace-ms", flags.shutdown_grace_ms,
                 "on SIGINT/SIGTERM, how long requests in flight may take before connections are cut")
      ->envname("EVSERVE_SHUTDOWN_GRACE_MS")
      ->check(CLI::Range(0LL, 3600000LL));
  app.add_option("--max-connections", config.max_connections,
                 "open client connections; beyond it the one idle the longest is closed (default and most: "
                 "what the open-files limit allows after the pool)")
      ->envname("EVSERVE_MAX_CONNECTIONS")
      ->check(CLI::Range(std::size_t{0}, std::size_t{10000000}));
  app.add_flag("--access-log", config.access_log, "write one line per request to stdout")
      ->envname("EVSERVE_ACCESS_LOG");
}

void add_database_options(CLI::App& app, ServerConfig& config, Flags& flags) {
  app.add_option("--db", config.pool.conninfo, "PostgreSQL connection string or URI (empty: libpq's PG* defaults)")
      ->envname("DATABASE_URL");
  app.add_option("--pool-size", config.pool.size,
                 "database connections, and database worker threads (default: max(4, threads))")
      ->envname("EVSERVE_POOL_SIZE")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1000}));
  app.add_option("--pool-timeout-ms", flags.pool_timeout_ms,
                 "how long a request waits for a free database connection before 503")
      ->envname("EVSERVE_POOL_TIMEOUT_MS")
      ->check(CLI::Range(1LL, 600000LL));
  app.add_option("--statement-timeout-ms", flags.statement_timeout_ms, "PostgreSQL statement_timeout for every query")
      ->envname("EVSERVE_STATEMENT_TIMEOUT_MS")
      ->check(CLI::Range(1LL, 3600000LL));
  app.add_option("--query-pipeline-depth", config.query_pipeline_depth,
                 "statistics queries in flight at most on an I/O thread's pipelined database connection, "
                 "which sends the queries of many requests in one write (up to pool-size/2 threads get one; "
                 "0: off, every query leases a connection)")
      ->envname("EVSERVE_QUERY_PIPELINE_DEPTH")
      ->check(CLI::Range(std::size_t{0}, std::size_t{65536}));
  app.add_option("--max-replica-lag-ms", flags.max_replica_lag_ms,
                 "on a hot standby, /readyz answers 503 replica_lag while WAL it has received waits longer than "
                 "this to be replayed (0: no limit)")
      ->envname("EVSERVE_MAX_REPLICA_LAG_MS")
      ->check(CLI::Range(0LL, 86400000LL));
  app.add_option("--replica-check-ms", flags.replica_check_ms,
                 "how often evserve checks where its database stands (standby or primary, replay lag, live run)")
      ->envname("EVSERVE_REPLICA_CHECK_MS")
      ->check(CLI::Range(10LL, 3600000LL));
}

void add_browser_options(CLI::App& app, ServerConfig& config, Flags& flags) {
  app.add_option("--auth-token-file", flags.auth_token_file,
                 "file of bearer tokens, one per line: requests to guarded routes need "
                 "'Authorization: Bearer <token>' (default: no file, every route open)")
      ->envname("EVSERVE_AUTH_TOKEN_FILE");
  app.add_option("--auth-scope", flags.auth_scope,
                 "what the tokens guard: users (the user-level routes, which carry player names) or all "
                 "(every route but /healthz, /readyz and the dashboard's assets)")
      ->envname("EVSERVE_AUTH_SCOPE")
      ->check(CLI::IsMember({"users", "all"}));
  app.add_option("--cors-origin", flags.cors_origin,
                 "origins whose pages may read the answers (CORS, never with credentials): '*', 'off', or a "
                 "comma list like 'https://a.example,http://localhost:3000'")
      ->envname("EVSERVE_CORS_ORIGIN")
      ->check([](const std::string& text) {
        try {
          (void)parse_cors_origin(text);
          return std::string();
        } catch (const std::invalid_argument& error) {
          return std::string(error.what());
        }
      });
  app.add_option("--gzip-min-bytes", config.browser.gzip_min_bytes,
                 "answers of at least this many bytes are gzipped for clients that accept it")
      ->check(whole_number_from(0))
      ->envname("EVSERVE_GZIP_MIN_BYTES");
}

// What the flags mean once parsed; false (said on stderr) for a usage error CLI11 cannot see.
bool apply(const Flags& flags, ServerConfig& config) {
  if (const auto problem = db::conninfo_syntax_error(config.pool.conninfo)) {
    std::cerr << "evserve: --db (or DATABASE_URL) is not a valid connection string: " << *problem << '\n';
    return false;
  }
  if (!flags.auth_token_file.empty()) {
    try {
      config.auth = BearerAuth::from_file(flags.auth_token_file, *parse_auth_scope(flags.auth_scope));
    } catch (const StartupError& error) {
      std::cerr << "evserve: " << error.what() << '\n';
      return false;
    }
  }
  config.browser.cors = parse_cors_origin(flags.cors_origin);
  config.port = static_cast<std::uint16_t>(flags.port);
  if (config.pool.size == 0) config.pool.size = std::max<std::size_t>(4, config.threads);
  config.pool.acquire_timeout = std::chrono::milliseconds(flags.pool_timeout_ms);
  config.pool.statement_timeout = std::chrono::milliseconds(flags.statement_timeout_ms);
  config.read_timeout = std::chrono::milliseconds(flags.read_timeout_ms);
  config.shutdown_grace = std::chrono::milliseconds(flags.shutdown_grace_ms);
  config.max_replica_lag = std::chrono::milliseconds(flags.max_replica_lag_ms);
  config.replica_check_interval = std::chrono::milliseconds(flags.replica_check_ms);
  return true;
}

}  // namespace

CommandLine parse_command_line(int argc, const char* const* argv) {
  CommandLine result;
  ServerConfig& config = result.config;
  config.threads = std::max(1U, std::thread::hardware_concurrency());
  config.pool.size = 0;        // default in apply(): max(4, threads)
  config.max_connections = 0;  // default in main: what the descriptor limit allows
  Flags flags;
  flags.pool_timeout_ms = config.pool.acquire_timeout.count();
  flags.read_timeout_ms = config.read_timeout.count();
  flags.statement_timeout_ms = config.pool.statement_timeout.count();
  flags.shutdown_grace_ms = config.shutdown_grace.count();
  flags.max_replica_lag_ms = config.max_replica_lag.count();
  flags.replica_check_ms = config.replica_check_interval.count();

  CLI::App app{"evserve: read-only HTTP API for the game events analytics (docs/data-contract.md §4-§6)"};
  app.footer(kFooter);
  app.option_defaults()->always_capture_default();
  add_database_options(app, config, flags);
  add_listener_options(app, config, flags);
  add_browser_options(app, config, flags);
  app.set_version_flag("--version", "evserve " + std::string(kVersion));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // CLI11's own codes (105, 109, …) are not evserve's: every usage error is 2, as for evload.
    result.exit_code = app.exit(error) == 0 ? 0 : kExitUsage;
    return result;
  }
  if (!apply(flags, config)) result.exit_code = kExitUsage;
  return result;
}

}  // namespace ge::server
