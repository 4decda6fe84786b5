#include "server/db_failure.hpp"

#include <array>

#include "server/log.hpp"

namespace ge::server {

DbFailure classify_connect_failure(std::string_view message) {
  // libpq's and the server's wording (PostgreSQL 12-16, lc_messages C or en). Anything else is
  // taken for transient: a wrong guess there costs 503s and a log line per window, a wrong guess
  // the other way would stop a service that would have recovered.
  constexpr std::array kLogin{
      std::string_view{"password authentication failed"},
      std::string_view{"authentication failed for user"},  // peer, ident, md5, scram, ldap, …
      std::string_view{"no password supplied"},
      std::string_view{"no pg_hba.conf entry"},
      std::string_view{"pg_hba.conf rejects connection"},
      std::string_view{"does not exist"},  // role "x" does not exist; database "x" does not exist
      std::string_view{"is not permitted to log in"},
      std::string_view{"SCRAM authentication requires libpq"},
  };
  for (const std::string_view needle : kLogin) {
    if (message.find(needle) != std::string_view::npos) return DbFailure::login;
  }
  return DbFailure::transient;
}

std::string describe_db_failure(std::string_view message) {
  std::string out;
  for (std::size_t i = 0; i < message.size(); ++i) {
    const char c = message[i];
    if (c == '\n' || c == '\r' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += c;
  }
  for (const std::string_view prefix : {std::string_view{"FATAL:  "}, std::string_view{"ERROR:  "}}) {
    for (std::size_t at; (at = out.find(prefix)) != std::string::npos;) out.erase(at, prefix.size());
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return redact(out);
}

}  // namespace ge::server
