#pragma once
// The database side of a load: schema migrations, the load lock, a fresh generation schema,
// indexes after the data, and the atomic swap that makes the generation live.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/db/connection.hpp"
#include "etl/generation_writer.hpp"
#include "etl/load_lock.hpp"

namespace ge {

inline constexpr const char* kLiveSchema = "ev_live";
inline constexpr const char* kGenerationPrefix = "ev_gen_";

struct RunInfo {
  std::string events_path;
  std::uint64_t events_bytes = 0;
  std::string rates_path;
};

class Generation {
 public:
  explicit Generation(const std::string& conninfo);

  // Takes the load lock (session advisory lock): concurrent loads never interleave. While it
  // waits, on_wait is told who holds it (etl/load_lock.hpp).
  void lock(bool wait, const std::function<void(const std::string& holder)>& on_wait = {});
  // Applies the m*.sql migrations that evmeta.schema_migrations does not list yet.
  void migrate();
  // Drops generation schemas left by killed runs and marks their runs failed. Needs the lock.
  void clean_up_interrupted_runs();
  // Records a running load and creates its empty generation schema.
  std::int64_t begin(const RunInfo& info);
  // The CREATE TABLE of each table (g10_tables.sql), which its writer runs in the transaction
  // that fills it (etl/generation_writer.hpp).
  static TableStatements create_statements();
  // What each table's writer runs after its COPY (etl/generation_writer.hpp): the statements of
  // g20_indexes.sql that name the table, then ANALYZE where the planner needs statistics.
  static AfterCopy after_copy_statements();
  // How many indexes g20_indexes.sql builds.
  static int index_count();
  // Makes the generation live in one short transaction; the previous one is kept as
  // ev_retired_<its run> for `evload rollback` (etl/generations.hpp).
  void swap(const std::string& report_json);
  // Drops the replaced generations beyond the newest `keep` (after the swap: not in its transaction).
  void prune_generations(int keep);
  // Marks the run failed (or `status`, e.g. interrupted) and drops its schema (best effort: the
  // database may be gone).
  void fail(const std::string& error, const std::string& report_json, const char* status = "failed") noexcept;
  // Deletes all but the newest `keep` rows of evmeta.load_runs (0: keep all).
  void prune_runs(int keep);
  // Stores the final report of a finished run.
  void update_report(const std::string& report_json);

  const std::string& schema() const noexcept { return schema_; }
  std::int64_t run_id() const noexcept { return run_id_; }
  const std::string& conninfo() const noexcept { return conninfo_; }
  // The session that holds the load lock (the quality gate reads the live data through it).
  db::Connection& connection() noexcept { return conn_; }

 private:
  std::string conninfo_;
  db::Connection conn_;
  std::string schema_;
  std::int64_t run_id_ = 0;
};

}  // namespace ge
