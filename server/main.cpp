// evserve: the read-only HTTP API over the data evload loads. This file is only the command line.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <thread>

#include "common/db/connection.hpp"
#include "server/descriptor_budget.hpp"
#include "server/queries.hpp"
#include "server/server.hpp"

namespace {

// A best-effort look at the database at startup: a log line, never fatal (the pool reconnects).
void report_database(ge::server::Pool& pool) {
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
      if (!ge::server::is_missing_relation(error.sqlstate())) throw;
      std::cerr << "evserve: database reachable; no data loaded yet (stats answer 503 no_data until evload runs)\n";
    }
  } catch (const std::exception& error) {
    std::cerr << "evserve: warning: database not usable yet: " << error.what() << '\n';
  }
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

  CLI::App app{"evserve: read-only HTTP API for the game events analytics (SPEC.md §4-§6)"};
  app.footer(R"(Endpoints: /v1/users/{user_id}/stats[?date=], /v1/game/stats[?date=][&country=|&group_by=country],
/v1/game/daily?from=&to=[&country=], /queryUserData, /queryGameData, /v1/loads/latest,
/healthz, /readyz, /metrics, /openapi.json.

Examples:
  evserve --db postgresql://postgres@127.0.0.1:5432/events
  DATABASE_URL=postgresql:///events EVSERVE_PORT=9000 evserve --threads 4 --pool-size 8
  evserve --db 'host=/run/postgresql dbname=events' --listen 127.0.0.1 --port 0 --access-log
  curl 'http://localhost:8086/v1/game/stats?date=2010-05-08&country=DE')");
  app.option_defaults()->always_capture_default();
  app.add_option("--db", config.pool.conninfo, "PostgreSQL connection string or URI (empty: libpq's PG* defaults)")
      ->envname("DATABASE_URL");
  app.add_option("--port", port, "TCP port; 0 picks a free one")->envname("EVSERVE_PORT")->check(CLI::Range(0, 65535));
  app.add_option("--listen", config.listen, "address to listen on")->envname("EVSERVE_LISTEN");
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
  CLI11_PARSE(app, argc, argv);

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
      report_database(probe);
    }
    server.run();
    std::cerr << "evserve: stopped\n";
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "evserve: " << error.what() << '\n';
    return 1;
  }
}
