#include "etl/generations.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "common/db/sqlstate.hpp"
#include "etl/generation.hpp"

namespace ge {
namespace {
std::string retired_name(std::string_view run_id) { return kRetiredPrefix + std::string(run_id); }

std::vector<std::string> retired_schemas_newest_first(db::Connection& conn) {
  auto result = conn.exec(
      "SELECT n.nspname FROM pg_namespace n "
      "LEFT JOIN evmeta.load_runs r ON r.run_id::text = substr(n.nspname, 12) "
      "WHERE n.nspname LIKE 'ev\\_retired\\_%' "
      // to_jsonb: a database an older evload loaded has no retired_at column yet (m002 adds it).
      "ORDER BY (to_jsonb(r)->>'retired_at')::timestamptz DESC NULLS LAST, length(n.nspname) DESC, n.nspname DESC");
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(result.rows()));
  for (int i = 0; i < result.rows(); ++i) names.emplace_back(result.value(i, 0));
  return names;
}
}  // namespace

void make_live(db::Connection& conn, const std::string& schema, const std::function<void()>& in_transaction) {
  // Readers hold AccessShare locks for milliseconds. The swap first takes ev_live.dataset, which
  // every reader statement names first in its FROM (the lock protocol of g10_tables.sql), so it
  // waits only for statements already running and never deadlocks with one; the statements that
  // arrive meanwhile queue behind it and then resolve ev_live to the new generation.
  // lock_timeout stays as a safety net for a reader that breaks the protocol: the swap, not the
  // reader, gives up and retries.
  conn.exec("SET lock_timeout = '5s'");
  for (int attempt = 1;; ++attempt) {
    try {
      db::Transaction transaction(conn);
      auto live = conn.exec_params("SELECT 1 FROM pg_namespace WHERE nspname = $1", {std::string(kLiveSchema)});
      if (live.rows() > 0) {
        conn.exec(std::string("LOCK TABLE ") + kLiveSchema + ".dataset IN ACCESS EXCLUSIVE MODE");
        const std::string live_run(
            conn.exec(std::string("SELECT run_id FROM ") + kLiveSchema + ".dataset").value(0, 0));
        const std::string retired = retired_name(live_run);
        // A retired copy of the same run cannot exist (a generation is either live or retired),
        // but a hand-made one must not make the swap fail.
        conn.exec("DROP SCHEMA IF EXISTS " + db::quote_identifier(retired) + " CASCADE");
        conn.exec(std::string("ALTER SCHEMA ") + kLiveSchema + " RENAME TO " + db::quote_identifier(retired));
        conn.exec_params(
            "UPDATE evmeta.load_runs SET generation_schema = $1, retired_at = clock_timestamp() WHERE run_id = $2",
            {retired, live_run});
      }
      conn.exec("ALTER SCHEMA " + db::quote_identifier(schema) + " RENAME TO " + kLiveSchema);
      in_transaction();
      transaction.commit();
      break;
    } catch (const db::Error& e) {
      // Readers were in the way; retry.
      const bool contention =
          e.sqlstate() == db::sqlstate::kLockNotAvailable || e.sqlstate() == db::sqlstate::kDeadlockDetected;
      if (!contention || attempt >= 20) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
    }
  }
  conn.exec("RESET lock_timeout");
}

void prune_generations(db::Connection& conn, int keep) {
  const std::vector<std::string> retired = retired_schemas_newest_first(conn);
  for (std::size_t i = static_cast<std::size_t>(std::max(keep, 0)); i < retired.size(); ++i) {
    conn.exec("DROP SCHEMA IF EXISTS " + db::quote_identifier(retired[i]) + " CASCADE");
    conn.exec_params("UPDATE evmeta.load_runs SET generation_schema = '' WHERE generation_schema = $1", {retired[i]});
  }
}

std::vector<GenerationInfo> list_generations(db::Connection& conn) {
  std::vector<std::string> schemas;
  if (conn.exec("SELECT 1 FROM pg_namespace WHERE nspname = 'ev_live'").rows() > 0) schemas.emplace_back(kLiveSchema);
  for (auto& name : retired_schemas_newest_first(conn)) schemas.push_back(std::move(name));
  std::vector<GenerationInfo> generations;
  for (const std::string& schema : schemas) {
    const std::string q = db::quote_identifier(schema);
    std::string sql =
        "SELECT d.run_id, to_char(d.loaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), "
        "coalesce(d.last_data_day::text, ''), "
        "(SELECT count(*) FROM ";
    sql += q;
    sql +=
        ".users), "
        "coalesce(to_char((to_jsonb(r)->>'retired_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), ''), "
        "r.report->>'accepted', "
        "coalesce(r.events_path, '') "
        "FROM ";
    sql += q;
    sql += ".dataset d LEFT JOIN evmeta.load_runs r ON r.run_id = d.run_id";
    auto row = conn.exec(sql);
    if (row.rows() == 0) continue;
    GenerationInfo info;
    info.schema = schema;
    info.run_id = std::stoll(std::string(row.value(0, 0)));
    info.loaded_at = row.value(0, 1);
    info.last_data_day = row.value(0, 2);
    info.users = std::stoull(std::string(row.value(0, 3)));
    if (schema != kLiveSchema) info.retired_at = row.value(0, 4);
    if (auto accepted = row.optional_value(0, 5)) info.accepted_events = std::stoull(std::string(*accepted));
    info.events_path = row.value(0, 6);
    generations.push_back(std::move(info));
  }
  return generations;
}

std::string generations_table(const std::vector<GenerationInfo>& generations) {
  if (generations.empty()) return "no generation: nothing is live and none is kept\n";
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-8s %-16s %8s  %-19s  %-19s  %-13s %10s %12s  %s\n", "state", "schema", "run",
                "loaded_at (UTC)", "retired_at (UTC)", "last_data_day", "users", "accepted", "events_path");
  out += line;
  for (const GenerationInfo& g : generations) {
    const std::string accepted = g.accepted_events ? std::to_string(*g.accepted_events) : "-";
    std::snprintf(line, sizeof line, "%-8s %-16s %8lld  %-19s  %-19s  %-13s %10llu %12s  %s\n",
                  g.schema == kLiveSchema ? "live" : "kept", g.schema.c_str(), static_cast<long long>(g.run_id),
                  g.loaded_at.c_str(), g.retired_at.empty() ? "-" : g.retired_at.c_str(),
                  g.last_data_day.empty() ? "-" : g.last_data_day.c_str(), static_cast<unsigned long long>(g.users),
                  accepted.c_str(), g.events_path.c_str());
    out += line;
  }
  return out;
}

std::int64_t roll_back(db::Connection& conn, std::optional<std::int64_t> run_id) {
  std::string target;
  if (run_id) {
    target = retired_name(std::to_string(*run_id));
    if (conn.exec_params("SELECT 1 FROM pg_namespace WHERE nspname = $1", {target}).rows() == 0) {
      throw std::runtime_error("run " + std::to_string(*run_id) +
                               " has no kept generation (`evload generations` lists the ones there are)");
    }
  } else {
    const std::vector<std::string> retired = retired_schemas_newest_first(conn);
    if (retired.empty()) {
      throw std::runtime_error(
          "there is no previous generation to roll back to (a load keeps "
          "--keep-generations of them; this database has none)");
    }
    target = retired.front();
  }
  const std::string target_run = target.substr(std::string_view(kRetiredPrefix).size());
  make_live(conn, target, [&] {
    conn.exec_params("UPDATE evmeta.load_runs SET generation_schema = $1, retired_at = NULL WHERE run_id = $2",
                     {std::string(kLiveSchema), target_run});
  });
  return std::stoll(target_run);
}

}  // namespace ge
