// evserve: the read-only HTTP API over the data evload loads. This file only starts it: the command
// line (command_line.hpp), the descriptor budget, a first look at the database, then the server.
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>

#include "common/db/connection.hpp"
#include "common/db/sqlstate.hpp"
#include "server/command_line.hpp"
#include "server/db_failure.hpp"
#include "server/descriptor_budget.hpp"
#include "server/listen_address.hpp"
#include "server/log.hpp"
#include "server/queries.hpp"
#include "server/server.hpp"

namespace {

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
  auto command_line = ge::server::parse_command_line(argc, argv);
  if (command_line.exit_code) return *command_line.exit_code;
  ge::server::ServerConfig& config = command_line.config;
  ge::server::set_log_secrets(config.pool.conninfo);
  const std::size_t descriptors = ge::server::raise_descriptor_limit();
  const std::size_t budget = ge::server::connection_budget(descriptors, config.pool.size);
  if (config.max_connections == 0) config.max_connections = budget;
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
    std::cerr << "evserve: listening on http://" << endpoint.address().to_string() << ':' << endpoint.port() << " ("
              << config.threads << " I/O threads, " << config.pool.size << " database connections, at most "
              << config.max_connections << " client connections)" << std::endl;
    {
      ge::server::Pool probe(config.pool);
      if (!report_database(probe)) return ge::server::kExitLoginRefused;
    }
    server.run();
    std::cerr << "evserve: stopped\n";
    return 0;
  } catch (const ge::server::StartupError& error) {
    std::cerr << "evserve: " << error.what() << '\n';
    return ge::server::kExitStartup;
  } catch (const std::exception& error) {
    std::cerr << "evserve: cannot start: " << ge::server::redact(error.what()) << '\n';
    return ge::server::kExitStartup;
  }
}
