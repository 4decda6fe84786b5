#include "etl/generation.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/sql_files.hpp"
#include "common/version.hpp"
#include "etl/generations.hpp"
#include "etl/interrupt.hpp"
#include "etl/table_output.hpp"

namespace ge {
namespace {
std::vector<std::string> statements_of(std::string_view script) {
  // g20_indexes.sql keeps one statement a line; comments and blank lines are skipped.
  std::vector<std::string> statements;
  while (!script.empty()) {
    const auto newline = script.find('\n');
    std::string_view line = script.substr(0, newline);
    script = newline == std::string_view::npos ? std::string_view{} : script.substr(newline + 1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.starts_with("--")) continue;
    statements.emplace_back(line);
  }
  return statements;
}

// The index of the generation's table of that name (kTableNames), if it is one.
std::optional<std::size_t> table_named(std::string_view name) {
  for (std::size_t t = 0; t < kTableCount; ++t) {
    if (kTableNames[t] == name) return t;
  }
  return std::nullopt;
}

// The table a g20_indexes.sql statement builds on: ALTER TABLE <table> … or CREATE INDEX … ON <table> (…).
std::size_t table_of(const std::string& statement) {
  std::string_view rest(statement);
  if (rest.starts_with("ALTER TABLE ")) {
    rest.remove_prefix(std::string_view("ALTER TABLE ").size());
  } else if (const auto on = rest.find(" ON "); on != std::string_view::npos) {
    rest.remove_prefix(on + 4);
  }
  if (const auto table = table_named(rest.substr(0, rest.find_first_of(" (")))) return *table;
  throw std::logic_error("g20_indexes.sql: no table of this generation in: " + statement);
}
}  // namespace

TableStatements Generation::create_statements() {
  // g10_tables.sql: each "CREATE TABLE <name> (" runs to the first line that is ");".
  TableStatements creates;
  const std::string_view script = sql_file("g10_tables.sql");
  for (std::size_t at = script.find("CREATE TABLE "); at != std::string_view::npos;
       at = script.find("CREATE TABLE ", at + 1)) {
    const std::size_t end = script.find("\n);", at);
    if (end == std::string_view::npos) throw std::logic_error("g10_tables.sql: a CREATE TABLE without its \");\"");
    const std::string_view statement = script.substr(at, end + 3 - at);
    const std::string_view rest = statement.substr(std::string_view("CREATE TABLE ").size());
    const std::string_view name = rest.substr(0, rest.find_first_of(" ("));
    const auto table = table_named(name);
    if (!table) throw std::logic_error("g10_tables.sql: not a table of a generation: " + std::string(name));
    creates[*table].emplace_back(statement);
  }
  for (std::size_t t = 0; t < kTableCount; ++t) {
    if (creates[t].size() != 1)
      throw std::logic_error("g10_tables.sql: no single CREATE TABLE " + std::string(kTableNames[t]));
  }
  return creates;
}

Generation::Generation(const std::string& conninfo) : conninfo_(conninfo), conn_(conninfo) {
  conn_.exec("SET client_min_messages = warning; SET application_name = 'evload'");
}

void Generation::lock(bool wait, const std::function<void(const std::string& holder)>& on_wait) {
  take_load_lock(conn_, wait, on_wait);
}

void Generation::migrate() {
  // m001 is idempotent (it creates the migrations table itself); one round trip runs it and reads
  // what is applied.
  auto applied = conn_.exec(std::string(sql_file("m001_meta.sql")) + ";\nSELECT version FROM evmeta.schema_migrations");
  std::vector<std::string> done;
  done.reserve(static_cast<std::size_t>(applied.rows()));
  for (int i = 0; i < applied.rows(); ++i) done.emplace_back(applied.value(i, 0));
  for (const SqlFile& file : sql_files()) {
    if (!file.name.starts_with("m")) continue;
    const std::string version(file.name);
    if (std::find(done.begin(), done.end(), version) != done.end()) continue;
    db::Transaction transaction(conn_);
    conn_.exec(file.body);
    conn_.exec_params("INSERT INTO evmeta.schema_migrations (version) VALUES ($1)", {version});
    transaction.commit();
  }
}

void Generation::clean_up_interrupted_runs() {
  // One round trip when there is nothing to clean (PQexec answers with the last statement's rows).
  auto leftovers = conn_.exec(
      "UPDATE evmeta.load_runs SET status = 'failed', finished_at = now(), "
      "error = 'interrupted: the load did not finish (process killed or database restarted)' "
      "WHERE status = 'running';\n"
      "SELECT nspname FROM pg_namespace WHERE nspname LIKE " +
      db::quote_literal(std::string(kGenerationPrefix) + "%") + " ORDER BY nspname");
  for (int i = 0; i < leftovers.rows(); ++i) {
    conn_.exec("DROP SCHEMA IF EXISTS " + db::quote_identifier(leftovers.value(i, 0)) + " CASCADE");
  }
}

std::int64_t Generation::begin(const RunInfo& info) {
  // The run's row and its empty schema in one transaction of three round trips: the row names
  // the schema, so a killed run leaves both or neither. The tables are created by the writer, each
  // in the transaction that fills it (create_statements()).
  db::Transaction transaction(conn_);
  auto inserted = conn_.exec_params(
      "INSERT INTO evmeta.load_runs (status, events_path, events_bytes, rates_path, generation_schema, evload_version) "
      "VALUES ('running', $1, $2, $3, '', $4) RETURNING run_id",
      {info.events_path, std::to_string(info.events_bytes), info.rates_path, std::string(kVersion)});
  const std::int64_t run_id = std::stoll(std::string(inserted.value(0, 0)));
  const std::string schema = kGenerationPrefix + std::to_string(run_id);
  conn_.exec("UPDATE evmeta.load_runs SET generation_schema = " + db::quote_literal(schema) +
             " WHERE run_id = " + std::to_string(run_id) + ";\nCREATE SCHEMA " + db::quote_identifier(schema));
  transaction.commit();
  run_id_ = run_id;
  schema_ = schema;
  return run_id_;
}

AfterCopy Generation::after_copy_statements() {
  AfterCopy after;
  for (const std::string& statement : statements_of(sql_file("g20_indexes.sql"))) {
    after[table_of(statement)].push_back(statement);
  }
  // Statistics only where a query plans with them: the small serving tables that evserve's
  // queries aggregate, join and range-scan. users and user_daily are read only by their primary
  // key (one lookup, one backward step of its index: the plan is the same without statistics,
  // checked with EXPLAIN in docs/scaling.md), and sessions and transactions only by ad-hoc
  // SQL; autovacuum's ANALYZE follows within minutes for all four. Sampling users and user_daily
  // here was a fifth of the database's work in a load.
  for (Table table : {Table::game_daily, Table::game_totals, Table::game_cohorts, Table::dataset}) {
    after[static_cast<std::size_t>(table)].push_back("ANALYZE " + std::string(to_string(table)));
  }
  return after;
}

int Generation::index_count() { return static_cast<int>(statements_of(sql_file("g20_indexes.sql")).size()); }

void Generation::swap(const std::string& report_json) {
  make_live(conn_, schema_, [&] {
    conn_.exec_params(
        "UPDATE evmeta.load_runs SET status = 'succeeded', finished_at = now(), report = $1::jsonb, "
        "generation_schema = $2, retired_at = NULL WHERE run_id = $3",
        {report_json, std::string(kLiveSchema), std::to_string(run_id_)});
  });
}

void Generation::prune_generations(int keep) { ge::prune_generations(conn_, keep); }

void Generation::fail(const std::string& error, const std::string& report_json, const char* status) noexcept {
  if (run_id_ == 0) return;
  try {
    db::Connection conn(conninfo_);
    conn.exec("SET client_min_messages = warning");  // DROP … CASCADE notices would fill cron mail
    conn.exec_params(
        "UPDATE evmeta.load_runs SET status = $4, finished_at = now(), error = $1, report = $2::jsonb "
        "WHERE run_id = $3 AND status = 'running'",
        {error, report_json, std::to_string(run_id_), std::string(status)});
    if (!schema_.empty() && schema_ != kLiveSchema) {
      conn.exec("DROP SCHEMA IF EXISTS " + db::quote_identifier(schema_) + " CASCADE");
    }
  } catch (...) {
    // The database is unreachable: the next run's clean_up_interrupted_runs() finishes the job.
  }
}

void Generation::prune_runs(int keep) {
  if (keep <= 0) return;
  conn_.exec_params(
      "DELETE FROM evmeta.load_runs WHERE run_id NOT IN "
      "(SELECT run_id FROM evmeta.load_runs ORDER BY run_id DESC LIMIT $1::int)",
      {std::to_string(keep)});
}

void Generation::update_report(const std::string& report_json) {
  conn_.exec_params("UPDATE evmeta.load_runs SET report = $1::jsonb WHERE run_id = $2",
                    {report_json, std::to_string(run_id_)});
}

}  // namespace ge
