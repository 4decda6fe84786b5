#pragma once
// A thin RAII layer over libpq: a connection, a result, and errors that carry SQLSTATE.
#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ge::db {

class Error : public std::runtime_error {
 public:
  // sqlstate: PostgreSQL's five-character code (sqlstate.hpp), empty when there is none.
  Error(const std::string& message, std::string_view sqlstate = {})
      : std::runtime_error(message), sqlstate_(sqlstate) {}
  const std::string& sqlstate() const noexcept { return sqlstate_; }

 private:
  std::string sqlstate_;
};

class Result {
 public:
  Result() = default;
  explicit Result(PGresult* result) : result_(result, &PQclear) {}
  PGresult* get() const noexcept { return result_.get(); }
  int rows() const noexcept { return PQntuples(result_.get()); }
  int columns() const noexcept { return PQnfields(result_.get()); }
  bool is_null(int row, int column) const noexcept { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string_view value(int row, int column) const noexcept {
    return {PQgetvalue(result_.get(), row, column), static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
  }
  std::optional<std::string_view> optional_value(int row, int column) const noexcept {
    if (is_null(row, column)) return std::nullopt;
    return value(row, column);
  }

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_{nullptr, &PQclear};
};

class Connection {
 public:
  // conninfo is a libpq connection string or URI; empty means libpq's defaults (PG* variables).
  explicit Connection(const std::string& conninfo);
  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;

  PGconn* get() const noexcept { return conn_.get(); }
  bool ok() const noexcept { return PQstatus(conn_.get()) == CONNECTION_OK; }

  // Runs one or more statements without parameters; throws Error on failure.
  Result exec(std::string_view sql);
  // Runs one statement with text parameters ($1, $2, …; nullopt is NULL); throws Error on failure.
  Result exec_params(const std::string& sql, const std::vector<std::optional<std::string>>& params);
  Result prepare(const std::string& name, const std::string& sql, int parameter_count);
  Result exec_prepared(const std::string& name, const std::vector<std::optional<std::string>>& params);
  std::string error_message() const;
  // Takes ownership of a result from this connection (PQgetResult); throws Error, with the
  // result's SQLSTATE, unless it is a success.
  Result check(PGresult* raw, std::string_view what);

 private:
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn_{nullptr, &PQfinish};
};

// Quotes an identifier for SQL text ("load_42" → "\"load_42\"").
std::string quote_identifier(std::string_view name);
// Quotes a literal for SQL text.
std::string quote_literal(std::string_view value);

// Commits on commit(); rolls back when destroyed without it (an exception unwinding).
class Transaction {
 public:
  explicit Transaction(Connection& conn, std::string_view begin = "BEGIN");
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Connection& conn_;
  bool open_ = true;
};

}  // namespace ge::db
