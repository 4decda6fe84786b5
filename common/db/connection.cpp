#include "common/db/connection.hpp"

#include "common/db/sqlstate.hpp"

namespace ge::db {
namespace {
std::string trimmed(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}
std::vector<const char*> raw_params(const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> raw;
  raw.reserve(params.size());
  for (const auto& p : params) raw.push_back(p ? p->c_str() : nullptr);
  return raw;
}
}  // namespace

Connection::Connection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str()), &PQfinish) {
  if (!conn_) throw Error("out of memory allocating a PostgreSQL connection");
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    throw Error("cannot connect to PostgreSQL: " + error_message(), sqlstate::kConnectionException);
  }
}

std::string Connection::error_message() const { return trimmed(PQerrorMessage(conn_.get())); }

Result Connection::check(PGresult* raw, std::string_view what) {
  Result result(raw);
  const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN || status == PGRES_COPY_OUT) {
    return result;
  }
  std::string sqlstate;
  std::string message = error_message();
  if (raw) {
    if (const char* state = PQresultErrorField(raw, PG_DIAG_SQLSTATE)) sqlstate = state;
    message = trimmed(PQresultErrorMessage(raw));
  }
  throw Error(std::string(what) + ": " + message, sqlstate);
}

Result Connection::exec(std::string_view sql) {
  const std::string text(sql);
  return check(PQexec(conn_.get(), text.c_str()), "SQL failed");
}

Result Connection::exec_params(const std::string& sql, const std::vector<std::optional<std::string>>& params) {
  const auto raw = raw_params(params);
  return check(
      PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(raw.size()), nullptr, raw.data(), nullptr, nullptr, 0),
      "SQL failed");
}

Result Connection::prepare(const std::string& name, const std::string& sql, int parameter_count) {
  return check(PQprepare(conn_.get(), name.c_str(), sql.c_str(), parameter_count, nullptr), "prepare failed");
}

Result Connection::exec_prepared(const std::string& name, const std::vector<std::optional<std::string>>& params) {
  const auto raw = raw_params(params);
  return check(PQexecPrepared(conn_.get(), name.c_str(), static_cast<int>(raw.size()), raw.data(), nullptr, nullptr, 0),
               "SQL failed");
}

std::string quote_identifier(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string quote_literal(std::string_view value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  return quoted + '\'';
}

Transaction::Transaction(Connection& conn, std::string_view begin) : conn_(conn) { conn_.exec(begin); }

Transaction::~Transaction() {
  if (!open_) return;
  try {
    conn_.exec("ROLLBACK");
  } catch (...) {
    // The connection is already broken; the server rolls the transaction back by itself.
  }
}

void Transaction::commit() {
  conn_.exec("COMMIT");
  open_ = false;
}

}  // namespace ge::db
