#include "etl/generation.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>
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
}  // namespace

Generation::Generation(const std::string& conninfo) : conninfo_(conninfo), conn_(conninfo) {
  conn_.exec("SET client_min_messages = warning");
  conn_.exec("SET application_name = 'evload'");
}

void Generation::lock(bool wait, const std::function<void(const std::string& holder)>& on_wait) {
  take_load_lock(conn_, wait, on_wait);
}

void Generation::migrate() {
  conn_.exec(sql_file("m001_meta.sql"));  // idempotent: creates the migrations table itself
  for (const SqlFile& file : sql_files()) {
    if (!file.name.starts_with("m")) continue;
    const std::string version(file.name);
    auto applied = conn_.exec_params("SELECT 1 FROM evmeta.schema_migrations WHERE version = $1", {version});
    if (applied.rows() > 0) continue;
    db::Transaction transaction(conn_);
    conn_.exec(file.body);
    conn_.exec_params("INSERT INTO evmeta.schema_migrations (version) VALUES ($1)", {version});
    transaction.commit();
  }
}

void Generation::clean_up_interrupted_runs() {
  auto leftovers = conn_.exec_params(
      "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 ORDER BY nspname",
      {std::string(kGenerationPrefix) + "%"});
  for (int i = 0; i < leftovers.rows(); ++i) {
    conn_.exec("DROP SCHEMA IF EXISTS " + db::quote_identifier(leftovers.value(i, 0)) + " CASCADE");
  }
  conn_.exec(
      "UPDATE evmeta.load_runs SET status = 'failed', finished_at = now(), "
      "error = 'interrupted: the load did not finish (process killed or database restarted)' "
      "WHERE status = 'running'");
}

std::int64_t Generation::begin(const RunInfo& info) {
  auto inserted = conn_.exec_params(
      "INSERT INTO evmeta.load_runs (status, events_path, events_bytes, rates_path, generation_schema, evload_version) "
      "VALUES ('running', $1, $2, $3, '', $4) RETURNING run_id",
      {info.events_path, std::to_string(info.events_bytes), info.rates_path, std::string(kVersion)});
  run_id_ = std::stoll(std::string(inserted.value(0, 0)));
  schema_ = kGenerationPrefix + std::to_string(run_id_);
  conn_.exec_params("UPDATE evmeta.load_runs SET generation_schema = $1 WHERE run_id = $2",
                    {schema_, std::to_string(run_id_)});
  db::Transaction transaction(conn_);
  conn_.exec("CREATE SCHEMA " + db::quote_identifier(schema_));
  conn_.exec("SET LOCAL search_path TO " + db::quote_identifier(schema_));
  conn_.exec(sql_file("g10_tables.sql"));
  transaction.commit();
  return run_id_;
}

int Generation::build_indexes(int jobs) {
  std::vector<std::string> statements = statements_of(sql_file("g20_indexes.sql"));
  const std::vector<std::string> tables(kTableNames.begin(), kTableNames.end());
  std::mutex mutex;
  std::size_t next = 0;
  std::string first_error;
  auto work = [&](const std::vector<std::string>& items, auto make_sql) {
    next = 0;
    std::vector<std::thread> workers;
    for (int j = 0; j < std::max(1, jobs); ++j) {
      workers.emplace_back([&] {
        try {
          db::Connection conn(conninfo_);
          conn.exec("SET search_path TO " + db::quote_identifier(schema_));
          conn.exec("SET maintenance_work_mem = '256MB'");
          for (;;) {
            std::size_t mine;
            {
              std::lock_guard lock(mutex);
              if (next >= items.size() || !first_error.empty() || received_signal() != 0) return;
              mine = next++;
            }
            conn.exec(make_sql(items[mine]));
          }
        } catch (const std::exception& e) {
          std::lock_guard lock(mutex);
          if (first_error.empty()) first_error = e.what();
        }
      });
    }
    for (auto& worker : workers) worker.join();
    throw_if_interrupted();  // each index or ANALYZE in flight ran to its end; the rest were skipped
    if (!first_error.empty()) throw db::Error(first_error);
  };
  work(statements, [](const std::string& sql) { return sql; });
  // Statistics only where a query plans with them: the tables evserve reads. The raw sessions and
  // transactions (the largest, read only by ad-hoc SQL) are left to autovacuum's ANALYZE, which
  // follows within minutes; sampling them here was a third of the index phase.
  std::vector<std::string> analyzed;
  for (const std::string& table : tables) {
    if (table != "sessions" && table != "transactions") analyzed.push_back(table);
  }
  work(analyzed, [](const std::string& table) { return "ANALYZE " + table; });
  return static_cast<int>(statements.size());
}

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
