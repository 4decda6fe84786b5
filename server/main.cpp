// evserve: the read-only HTTP API over the data evload loads. This file is only the command line.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/db/connection.hpp"
#include "common/db/conninfo.hpp"
#include "common/db/sqlstate.hpp"
#include "common/version.hpp"
#include "server/db_failure.hpp"
#include "server/listen_address.hpp"
#include "server/log.hpp"
#include "server/cors.hpp"
#include "server/descriptor_budget.hpp"
#include "server/queries.hpp"
#include "server/server.hpp"

namespace {

// Exit codes (docs/operations.md): 0 stopped cleanly, 1 cannot start (the port, the address),
// 2 usage error (a bad option, a malformed connection string), 3 PostgreSQL refuses the login.
constexpr int kExitStartup = 1;
constexpr int kExitUsage = 2;
constexpr int kExitLoginRefused = 3;

// A look at the database at startup: a refused login will not heal, so it ends evserve (exit 3)
// with the cause; anything else is a log line, never fatal (the pool reconnects). Returns false
// for a refused login.
bool report_database(ge::server::Pool& pool) {
  try {
    auto lease = pool.acquire();
    try {
      const auto dataset = ge::server::query_dataset(*lease);
      if (dataset) {
        std::cerr << "evserve: database reachable; live data from run " << dataset->run_id << ", last data day "
                  << dataset->last_data_day.value_or("none") << '\n';
      } else {
        std::cerr << "evserve: database reachable; ev_live.dataset is empty\n";
      }
    } catch (const ge::db::Error& error) {
      if (!ge::db::sqlstate::is_missing_relation(error.sqlstate())) throw;
      std::cerr << "evserve: database reachable; no data loaded yet (stats answer 503 no_data until evload runs)\n";
    }
  } catch (const std::exception& error) {
    const std::string cause = ge::server::describe_db_failure(error.what());
    // Only a failure to connect (08000 from db::Connection) can be a refused login.
    const auto* db_error = dynamic_cast<const ge::db::Error*>(&error);
    if (db_error != nullptr && db_error->sqlstate() == ge::db::sqlstate::kConnectionException &&
        ge::server::classify_connect_failure(error.what()) == ge::server::DbFailure::login) {
      std::cerr << "evserve: PostgreSQL refuses the login, which retrying will not mend: " << cause
                << " (check the user, password and database in --db / DATABASE_URL)\n";
      return false;
    }
    std::cerr << "evserve: warning: database not usable yet (answering 503 until it is): " << cause << '\n';
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  ge::server::ServerConfig config;
  const unsigned hardware = std::max(1U, std::thread::hardware_concurrency());
  config.threads = hardware;
  config.pool.size = 0;  // default below: max(4, threads)
  int port = 8086;
  long long pool_timeout_ms = config.pool.acquire_timeout.count();
  long long read_timeout_ms = config.read_timeout.count();
  long long statement_timeout_ms = config.pool.statement_timeout.count();
  long long shutdown_grace_ms = config.shutdown_grace.count();
  std::size_t max_connections = 0;

  CLI::App app{"evserve: read-only HTTP API for the game events analytics (docs/data-contract.md §4-§6)"};
  app.footer(R"(Endpoints: /v1/users/{user_id}/stats[?date=], /v1/game/stats[?date=][&country=|&group_by=country],
/v1/game/daily?from=&to=[&country=], /v1/game/retention?from=&to=[&country=], /queryUserData,
/queryGameData, /v1/loads/latest, /healthz, /readyz, /metrics, /openapi.json; the dashboard at /
(its files under /assets/). &format=csv on /v1/game/stats, /v1/game/daily and /v1/game/retention
answers RFC 4180 CSV with a header row, as a download.

Examples:
  evserve --db postgresql://postgres@127.0.0.1:5432/events
  DATABASE_URL=postgresql:///events EVSERVE_PORT=9000 evserve --threads 4 --pool-size 8
  evserve --db 'host=/run/postgresql dbname=events' --listen 127.0.0.1 --port 0 --access-log
  curl 'http://localhost:8086/v1/game/stats?date=2010-05-08&country=DE'
  curl 'http://localhost:8086/v1/game/retention?from=2010-05-08&to=2010-05-22&format=csv')");
  app.option_defaults()->always_capture_default();
  app.add_option("--db", config.pool.conninfo, "PostgreSQL connection string or URI (empty: libpq's PG* defaults)")
      ->envname("DATABASE_URL");
  app.add_option("--port", port, "TCP port; 0 picks a free one")->envname("EVSERVE_PORT")->check(CLI::Range(0, 65535));
  app.add_option("--listen", config.listen, "address or host name to listen on (localhost: loopback)")->envname("EVSERVE_LISTEN");
  app.add_option("--threads", config.threads,
                 "I/O threads (default: hardware concurrency; on a machine shared with PostgreSQL, about half "
                 "the cores do better)")
      ->envname("EVSERVE_THREADS")
      ->check(CLI::Range(1U, 1024U));
  app.add_option("--pool-size", config.pool.size,
                 "database connections, and database worker threads (default: max(4, threads))")
      ->envname("EVSERVE_POOL_SIZE")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1000}));
  app.add_option("--pool-timeout-ms", pool_timeout_ms,
                 "how long a request waits for a free database connection before 503")
      ->envname("EVSERVE_POOL_TIMEOUT_MS")
      ->check(CLI::Range(1LL, 600000LL));
  app.add_option("--read-timeout-ms", read_timeout_ms,
                 "deadline to receive a whole request (and keep-alive idle timeout)")
      ->envname("EVSERVE_READ_TIMEOUT_MS")
      ->check(CLI::Range(1LL, 3600000LL));
  app.add_option("--statement-timeout-ms", statement_timeout_ms, "PostgreSQL statement_timeout for every query")
      ->envname("EVSERVE_STATEMENT_TIMEOUT_MS")
      ->check(CLI::Range(1LL, 3600000LL));
  app.add_option("--shutdown-grace-ms", shutdown_grace_ms,
                 "on SIGINT/SIGTERM, how long requests in flight may take before connections are cut")
      ->envname("EVSERVE_SHUTDOWN_GRACE_MS")
      ->check(CLI::Range(0LL, 3600000LL));
  app.add_option("--max-connections", max_connections,
                 "open client connections; beyond it the one idle the longest is closed (default and most: "
                 "what the open-files limit allows after the pool)")
      ->envname("EVSERVE_MAX_CONNECTIONS")
      ->check(CLI::Range(std::size_t{0}, std::size_t{10000000}));
  app.add_option("--query-pipeline-depth", config.query_pipeline_depth,
                 "statistics queries in flight at most on an I/O thread's pipelined database connection, "
                 "which sends the queries of many requests in one write (up to pool-size/2 threads get one; "
                 "0: off, every query leases a connection)")
      ->envname("EVSERVE_QUERY_PIPELINE_DEPTH")
      ->check(CLI::Range(std::size_t{0}, std::size_t{65536}));
  std::string auth_token_file;
  std::string auth_scope = "users";
  app.add_option("--auth-token-file", auth_token_file,
                 "file of bearer tokens, one per line: requests to guarded routes need "
                 "'Authorization: Bearer <token>' (default: no file, every route open)")
      ->envname("EVSERVE_AUTH_TOKEN_FILE");
  app.add_option("--auth-scope", auth_scope,
                 "what the tokens guard: users (the user-level routes, which carry player names) or all "
                 "(every route but /healthz, /readyz and the dashboard's assets)")
      ->envname("EVSERVE_AUTH_SCOPE")
      ->check(CLI::IsMember({"users", "all"}));
  long long max_replica_lag_ms = 0;
  long long replica_check_ms = config.replica_check_interval.count();
  app.add_option("--max-replica-lag-ms", max_replica_lag_ms,
                 "on a hot standby, /readyz answers 503 replica_lag while WAL it has received waits longer than "
                 "this to be replayed (0: no limit)")
      ->envname("EVSERVE_MAX_REPLICA_LAG_MS")
      ->check(CLI::Range(0LL, 86400000LL));
  app.add_option("--replica-check-ms", replica_check_ms,
                 "how often evserve checks where its database stands (standby or primary, replay lag, live run)")
      ->envname("EVSERVE_REPLICA_CHECK_MS")
      ->check(CLI::Range(10LL, 3600000LL));
  app.add_flag("--access-log", config.access_log, "write one line per request to stdout")
      ->envname("EVSERVE_ACCESS_LOG");
  std::string cors_origin = "*";
  app.add_option("--cors-origin", cors_origin,
                 "origins whose pages may read the answers (CORS, never with credentials): '*', 'off', or a "
                 "comma list like 'https://a.example,http://localhost:3000'")
      ->envname("EVSERVE_CORS_ORIGIN")
      ->check([](const std::string& text) {
        try {
          (void)ge::server::parse_cors_origin(text);
          return std::string();
        } catch (const std::invalid_argument& error) {
          return std::string(error.what());
        }
      });
  app.add_option("--gzip-min-bytes", config.browser.gzip_min_bytes,
                 "answers of at least this many bytes are gzipped for clients that accept it")
      ->envname("EVSERVE_GZIP_MIN_BYTES");
  app.set_version_flag("--version", "evserve " + std::string(ge::kVersion));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // CLI11's own codes (105, 109, …) are not evserve's: every usage error is 2, as for evload.
    const int code = app.exit(error);
    return code == 0 ? 0 : kExitUsage;
  }
  if (const auto problem = ge::db::conninfo_syntax_error(config.pool.conninfo)) {
    std::cerr << "evserve: --db (or DATABASE_URL) is not a valid connection string: " << *problem << '\n';
    return kExitUsage;
  }
  ge::server::set_log_secrets(config.pool.conninfo);
  if (!auth_token_file.empty()) {
    try {
      config.auth = ge::server::BearerAuth::from_file(auth_token_file, *ge::server::parse_auth_scope(auth_scope));
    } catch (const ge::server::StartupError& error) {
      std::cerr << "evserve: " << error.what() << '\n';
      return kExitUsage;
    }
  }
  config.browser.cors = ge::server::parse_cors_origin(cors_origin);

  config.port = static_cast<std::uint16_t>(port);
  if (config.pool.size == 0) config.pool.size = std::max<std::size_t>(4, config.threads);
  config.pool.acquire_timeout = std::chrono::milliseconds(pool_timeout_ms);
  config.pool.statement_timeout = std::chrono::milliseconds(statement_timeout_ms);
  config.read_timeout = std::chrono::milliseconds(read_timeout_ms);
  config.shutdown_grace = std::chrono::milliseconds(shutdown_grace_ms);
  config.max_replica_lag = std::chrono::milliseconds(max_replica_lag_ms);
  config.replica_check_interval = std::chrono::milliseconds(replica_check_ms);
  const std::size_t descriptors = ge::server::raise_descriptor_limit();
  const std::size_t budget = ge::server::connection_budget(descriptors, config.pool.size);
  config.max_connections = max_connections == 0 ? budget : max_connections;
  if (config.max_connections > budget) {
    // More would run accept() out of descriptors and starve the database pool of sockets.
    std::cerr << "evserve: warning: --max-connections " << config.max_connections << " lowered to " << budget
              << ": the " << descriptors << " open files allowed (ulimit -n) leave room for no more\n";
    config.max_connections = budget;
  }
  // libpq waits for ever on an unreachable host unless told otherwise; the conninfo may override.
  setenv("PGCONNECT_TIMEOUT", "5", 0);

  try {
    ge::server::Server server(config);
    const auto endpoint = server.bind();
    std::cerr << "evserve: listening on http://" << endpoint.address().to_string() << ':' << endpoint.port()
              << " (" << config.threads << " I/O threads, " << config.pool.size << " database connections, at most "
              << config.max_connections << " client connections)"
              << std::endl;
    {
      ge::server::Pool probe(config.pool);
      if (!report_database(probe)) return kExitLoginRefused;
    }
    server.run();
    std::cerr << "evserve: stopped\n";
    return 0;
  } catch (const ge::server::StartupError& error) {
    std::cerr << "evserve: " << error.what() << '\n';
    return kExitStartup;
  } catch (const std::exception& error) {
    std::cerr << "evserve: cannot start: " << ge::server::redact(error.what()) << '\n';
    return kExitStartup;
  }
}
