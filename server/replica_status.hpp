#pragma once
// Where evserve stands: a thread with a database connection of its own asks, every check
// interval, whether the server it reaches is a hot standby (pg_is_in_recovery()), how long the
// WAL it has received has waited to be replayed (replay_lag.hpp says why that and not the age of
// the last replayed commit), and which load run is live there (ev_live.dataset). /readyz and
// /metrics report it, and /readyz fails above --max-replica-lag-ms.
//
// With a multi-host connection string that prefers a standby (host=a,b
// target_session_attrs=prefer-standby), libpq falls back to the primary when no standby answers,
// and a connection stays where it landed. So while the monitor finds itself on a primary it tries
// a fresh connection every few checks, and whenever its connection lands on another server (the
// standby went away, or came back) it calls on_server_change: the pool then closes its
// connections as they come back (Pool::recycle), and the new ones follow libpq's preference.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <boost/json/object.hpp>

#include "common/db/connection.hpp"
#include "server/replay_lag.hpp"

namespace ge::server {

struct ReplicaStatus {
  enum class Role { unknown, primary, standby };
  Role role = Role::unknown;                      // unknown: not checked yet, or the last check failed
  std::string server;                             // "host:port" of the monitor's connection
  std::chrono::milliseconds replay_lag{0};        // 0 on a primary
  std::optional<double> last_replay_age_seconds;  // now() - pg_last_xact_replay_timestamp()
  bool replay_paused = false;                     // pg_wal_replay_pause() in effect
  std::optional<std::int64_t> live_run_id;        // ev_live.dataset's run, if any
  std::optional<std::chrono::steady_clock::time_point> checked_at;  // the last successful check
  std::uint64_t checks = 0;
  std::uint64_t check_failures = 0;
  std::uint64_t server_changes = 0;
  std::string last_error;  // of the last failed check, redacted
};

std::string_view role_name(ReplicaStatus::Role role) noexcept;

struct ReplicaMonitorOptions {
  std::string conninfo;
  std::chrono::milliseconds interval{1000};
  // /readyz fails while the lag on a standby is above it; 0: no limit.
  std::chrono::milliseconds max_lag{0};
};

class ReplicaMonitor {
 public:
  // on_server_change runs on the monitor's thread.
  ReplicaMonitor(ReplicaMonitorOptions options, std::function<void()> on_server_change);
  ~ReplicaMonitor();
  ReplicaMonitor(const ReplicaMonitor&) = delete;
  ReplicaMonitor& operator=(const ReplicaMonitor&) = delete;

  // Starts the thread (the first check runs at once); stop() or the destructor ends it.
  void start();
  void stop() noexcept;
  // One check now, on the caller's thread (tests; start() does it on the thread).
  void check_now();

  ReplicaStatus status() const;
  const ReplicaMonitorOptions& options() const noexcept { return options_; }
  // Whether /readyz should fail for lag: a standby whose lag is above a set limit.
  bool lag_too_high(const ReplicaStatus& status) const noexcept;

  // The monitor's gauges and counters in Prometheus text format (metrics.hpp has the rest).
  std::string render_metrics() const;

  // While on a primary with a standby preferred, a fresh connection is tried every this many checks.
  static constexpr int kProbeEveryChecks = 3;

 private:
  void run();
  void check();
  void connect();
  void probe_for_standby();
  void adopt(std::unique_ptr<db::Connection> conn);

  ReplicaMonitorOptions options_;
  std::function<void()> on_server_change_;
  std::unique_ptr<db::Connection> conn_;  // the monitor thread's only
  std::string conn_server_;
  bool prefers_standby_ = false;  // of conn_: target_session_attrs=prefer-standby over several hosts
  int checks_on_primary_ = 0;
  ReplayLag lag_;

  mutable std::mutex mutex_;
  ReplicaStatus status_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// The "database" object of /readyz (openapi.cpp: DatabaseStatus), and the not_ready message.
boost::json::object replica_json(const ReplicaStatus& status, const ReplicaMonitorOptions& options);
std::string replica_lag_message(const ReplicaStatus& status, const ReplicaMonitorOptions& options);

}  // namespace ge::server
