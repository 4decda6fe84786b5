#pragma once
// What a failure to reach PostgreSQL means for evserve: trouble that heals by itself (the server
// is down, restarting, or out of connection slots: answer 503 and keep trying) or a setting that
// will not heal (the login is refused: exit at start-up and say why).
#include <string>
#include <string_view>

namespace ge::server {

enum class DbFailure {
  transient,  // not reachable, starting up, too many connections, a timeout
  login,      // authentication failed, no password given, no pg_hba.conf entry, unknown role
};

// From libpq's message for a failed connection (PQconnectdb gives no SQLSTATE for it).
DbFailure classify_connect_failure(std::string_view message);

// The cause in one line, for /readyz and the log: libpq's text without its "FATAL:" prefixes
// and line breaks, scrubbed of secrets (server/log.hpp).
std::string describe_db_failure(std::string_view message);

}  // namespace ge::server
