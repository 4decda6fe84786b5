#include "server/replica_status.hpp"

#include <charconv>
#include <cstring>

#include "common/db/conninfo.hpp"
#include "common/db/sqlstate.hpp"
#include "server/metrics.hpp"
#include "server/queries.hpp"

namespace ge::server {
namespace {

// No locks taken (it reads no table), so it answers even while the replay holds one.
constexpr const char* kStatusSql =
    "SELECT pg_is_in_recovery(), "
    "pg_wal_lsn_diff(pg_last_wal_receive_lsn(), '0/0')::bigint, "
    "pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint, "
    "extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8, "
    "CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() <> 'not paused' ELSE false END";
// AccessShare on ev_live.dataset like every reader (the lock protocol of g10_tables.sql): it
// waits behind a swap being replayed, which lock_timeout bounds.
constexpr const char* kLiveRunSql = "SELECT run_id FROM ev_live.dataset LIMIT 1";

std::uint64_t position(std::optional<std::string_view> text) {
  std::uint64_t value = 0;
  if (!text) return 0;
  (void)std::from_chars(text->data(), text->data() + text->size(), value);
  return value;
}

std::string server_of(PGconn* conn) {
  const char* host = PQhost(conn);
  const char* port = PQport(conn);
  return std::string(host ? host : "") + ":" + (port ? port : "");
}

// target_session_attrs=prefer-standby over more than one host: libpq may have fallen back to the
// primary, and a standby may answer a fresh connection later.
bool prefers_standby(PGconn* conn) {
  PQconninfoOption* options = PQconninfo(conn);
  if (options == nullptr) return false;
  bool prefer = false;
  bool several_hosts = false;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    if (std::strcmp(o->keyword, "target_session_attrs") == 0) prefer = std::strcmp(o->val, "prefer-standby") == 0;
    if ((std::strcmp(o->keyword, "host") == 0 || std::strcmp(o->keyword, "hostaddr") == 0) &&
        std::strchr(o->val, ',') != nullptr) {
      several_hosts = true;
    }
  }
  PQconninfoFree(options);
  return prefer && several_hosts;
}

void sample(std::string& out, std::string_view name, std::string_view type, std::string_view help,
            std::string_view value) {
  metric_header(out, name, type, help);
  metric_sample(out, name, value);
}

std::string seconds(std::chrono::milliseconds ms) { return seconds_text(static_cast<double>(ms.count()) / 1000.0); }

}  // namespace

std::string_view role_name(ReplicaStatus::Role role) noexcept {
  switch (role) {
    case ReplicaStatus::Role::primary: return "primary";
    case ReplicaStatus::Role::standby: return "standby";
    case ReplicaStatus::Role::unknown: break;
  }
  return "unknown";
}

ReplicaMonitor::ReplicaMonitor(ReplicaMonitorOptions options, std::function<void()> on_server_change)
    : options_(std::move(options)), on_server_change_(std::move(on_server_change)) {
  if (options_.interval.count() <= 0) options_.interval = std::chrono::milliseconds{1000};
}

ReplicaMonitor::~ReplicaMonitor() { stop(); }

void ReplicaMonitor::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

void ReplicaMonitor::stop() noexcept {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ReplicaMonitor::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    check();
    lock.lock();
    wake_.wait_for(lock, options_.interval, [this] { return stopping_; });
  }
}

void ReplicaMonitor::check_now() { check(); }

ReplicaStatus ReplicaMonitor::status() const {
  const std::lock_guard lock(mutex_);
  return status_;
}

bool ReplicaMonitor::lag_too_high(const ReplicaStatus& status) const noexcept {
  return options_.max_lag.count() > 0 && status.role == ReplicaStatus::Role::standby &&
         status.replay_lag > options_.max_lag;
}

void ReplicaMonitor::adopt(std::unique_ptr<db::Connection> conn) {
  // Short and lock-free by design; the limits keep a stuck server from stalling the checks.
  conn->exec(
      "SET application_name = 'evserve-monitor'; SET default_transaction_read_only = on; "
      "SET statement_timeout = '2s'; SET lock_timeout = '500ms'; SET client_min_messages = warning");
  const std::string server = server_of(conn->get());
  prefers_standby_ = prefers_standby(conn->get());
  conn_ = std::move(conn);
  checks_on_primary_ = 0;
  if (server == conn_server_) return;
  const bool changed = !conn_server_.empty();
  conn_server_ = server;
  lag_.reset();
  {
    const std::lock_guard lock(mutex_);
    status_.server = server;
    if (changed) ++status_.server_changes;
  }
  if (changed && on_server_change_) on_server_change_();
}

void ReplicaMonitor::connect() {
  conn_.reset();
  adopt(std::make_unique<db::Connection>(options_.conninfo));
}

void ReplicaMonitor::probe_for_standby() {
  // A failed probe leaves the connection on the primary as it was.
  try {
    auto fresh = std::make_unique<db::Connection>(options_.conninfo);
    const char* hot = PQparameterStatus(fresh->get(), "in_hot_standby");
    if (hot != nullptr && std::strcmp(hot, "on") == 0) adopt(std::move(fresh));
  } catch (const std::exception&) {}
}

void ReplicaMonitor::check() {
  try {
    if (!conn_ || !conn_->ok()) connect();
    if (prefers_standby_ && status().role == ReplicaStatus::Role::primary &&
        ++checks_on_primary_ % kProbeEveryChecks == 0) {
      probe_for_standby();
    }
    db::Result row = conn_->exec(kStatusSql);
    const auto now = std::chrono::steady_clock::now();
    const bool standby = row.value(0, 0) == "t";
    if (standby) {
      const std::uint64_t replayed = position(row.optional_value(0, 2));
      // No receive position: nothing streamed since the standby started (still connecting).
      const std::uint64_t received = row.is_null(0, 1) ? replayed : position(row.optional_value(0, 1));
      lag_.sample(received, replayed, now);
    } else {
      lag_.reset();
    }
    std::optional<double> age;
    if (standby && !row.is_null(0, 3)) {
      const auto text = row.value(0, 3);
      double value = 0;
      if (std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc{}) age = value;
    }
    {
      const std::lock_guard lock(mutex_);
      status_.role = standby ? ReplicaStatus::Role::standby : ReplicaStatus::Role::primary;
      status_.replay_lag = lag_.lag();
      status_.last_replay_age_seconds = age;
      status_.replay_paused = row.value(0, 4) == "t";
      status_.checked_at = now;
      ++status_.checks;
    }
    // The live run: kept from the last check when this one cannot tell (the replay holds the lock).
    try {
      db::Result live = conn_->exec(kLiveRunSql);
      std::optional<std::int64_t> run;
      if (live.rows() > 0) {
        std::int64_t value = 0;
        const auto text = live.value(0, 0);
        if (std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc{}) run = value;
      }
      const std::lock_guard lock(mutex_);
      status_.live_run_id = run;
    } catch (const db::Error& error) {
      if (db::sqlstate::is_missing_relation(error.sqlstate())) {
        const std::lock_guard lock(mutex_);
        status_.live_run_id.reset();
      }
    }
  } catch (const std::exception& error) {
    if (conn_ && !conn_->ok()) conn_.reset();
    const std::lock_guard lock(mutex_);
    status_.role = ReplicaStatus::Role::unknown;
    status_.last_error = db::redact_secrets(error.what(), options_.conninfo);
    ++status_.check_failures;
  }
}

boost::json::object replica_json(const ReplicaStatus& status, const ReplicaMonitorOptions& options) {
  boost::json::object out;
  out["role"] = role_name(status.role);
  out["server"] = status.server;
  out["replay_lag_ms"] = status.replay_lag.count();
  if (options.max_lag.count() > 0) {
    out["max_replica_lag_ms"] = options.max_lag.count();
  } else {
    out["max_replica_lag_ms"] = nullptr;
  }
  out["replay_paused"] = status.replay_paused;
  if (status.last_replay_age_seconds) {
    out["last_replay_age_seconds"] = *status.last_replay_age_seconds;
  } else {
    out["last_replay_age_seconds"] = nullptr;
  }
  if (status.live_run_id) {
    out["live_run_id"] = *status.live_run_id;
  } else {
    out["live_run_id"] = nullptr;
  }
  if (status.checked_at) {
    out["checked_ms_ago"] =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - *status.checked_at)
            .count();
  } else {
    out["checked_ms_ago"] = nullptr;
  }
  return out;
}

std::string replica_lag_message(const ReplicaStatus& status, const ReplicaMonitorOptions& options) {
  return "the standby " + status.server + " is " + std::to_string(status.replay_lag.count()) +
         " ms behind in replaying the primary's WAL (limit --max-replica-lag-ms " +
         std::to_string(options.max_lag.count()) + ")" + (status.replay_paused ? "; replay is paused" : "");
}

std::string ReplicaMonitor::render_metrics() const {
  const ReplicaStatus s = status();
  std::string out;
  out.reserve(2048);
  if (s.role != ReplicaStatus::Role::unknown) {
    sample(out, "evserve_db_standby", "gauge",
           "1 when the database evserve reads is a hot standby (pg_is_in_recovery()), 0 on a primary.",
           s.role == ReplicaStatus::Role::standby ? "1" : "0");
  }
  out.append(
      "# HELP evserve_db_server_info The server the status checks reach (host:port) and its role.\n"
      "# TYPE evserve_db_server_info gauge\n");
  out.append("evserve_db_server_info{server=\"")
      .append(label_value(s.server))
      .append("\",role=\"")
      .append(role_name(s.role))
      .append("\"} 1\n");
  sample(out, "evserve_db_replay_lag_seconds", "gauge",
         "How long WAL the standby has received has waited to be replayed (0 on a primary or when all is replayed).",
         seconds(s.replay_lag));
  sample(out, "evserve_db_replay_lag_limit_seconds", "gauge", "--max-replica-lag-ms (0: no limit).",
         seconds(options_.max_lag));
  if (s.last_replay_age_seconds) {
    sample(out, "evserve_db_last_replay_age_seconds", "gauge",
           "Age of the last replayed commit on the standby (grows while the primary is idle: not a lag).",
           seconds_text(*s.last_replay_age_seconds));
  }
  sample(out, "evserve_db_replay_paused", "gauge", "1 while replay is paused on the standby (pg_wal_replay_pause()).",
         s.replay_paused ? "1" : "0");
  if (s.live_run_id) {
    sample(out, "evserve_db_live_run_id", "gauge", "The load run (evmeta.load_runs) live in ev_live on that server.",
           std::to_string(*s.live_run_id));
  }
  sample(out, "evserve_db_status_checks_total", "counter", "Status checks of the database server that succeeded.",
         std::to_string(s.checks));
  sample(out, "evserve_db_status_check_failures_total", "counter", "Status checks that failed.",
         std::to_string(s.check_failures));
  sample(out, "evserve_db_server_changes_total", "counter",
         "Times the status checks found themselves on another server (a standby left or came back).",
         std::to_string(s.server_changes));
  return out;
}

}  // namespace ge::server
