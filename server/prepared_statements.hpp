#pragma once
// Which statements a connection holds prepared, kept the same way by the three paths that run
// them (the blocking PooledConnection::run, async_query.hpp and query_pipeline.hpp):
// - a PREPARE that succeeded, or was answered 42P05 (duplicate_prepared_statement), counts as
//   prepared. 42P05 means the server has it although no PREPARE of ours was seen to succeed: an
//   earlier one was cut short by an error after PostgreSQL had stored the statement
//   (statement_timeout firing between Parse and Sync reports 57014 for a PREPARE that took
//   effect). The name stands for one SQL text, so the server's copy is the one wanted;
// - an execution answered 26000 (invalid_sql_statement_name: the statement vanished, as after a
//   pooler's DISCARD ALL) forgets it, so that its next use prepares it again;
// - a new or reset session holds none.
#include <string_view>
#include <unordered_set>

#include "common/db/sqlstate.hpp"

namespace ge::server {

class PreparedStatements {
 public:
  bool contains(std::string_view statement) const { return names_.contains(statement); }
  // After a PREPARE: `sqlstate` is empty when it succeeded. True when the statement now counts as
  // prepared (then the query can run).
  bool after_prepare(std::string_view statement, std::string_view sqlstate) {
    if (!sqlstate.empty() && sqlstate != db::sqlstate::kDuplicatePreparedStatement) return false;
    names_.insert(statement);
    return true;
  }
  // After the statement's execution failed with `sqlstate`.
  void after_execute_error(std::string_view statement, std::string_view sqlstate) {
    if (sqlstate == db::sqlstate::kInvalidSqlStatementName) names_.erase(statement);
  }
  void clear() noexcept { names_.clear(); }

 private:
  std::unordered_set<std::string_view> names_;  // the Statement names, which outlive the connection
};

}  // namespace ge::server
