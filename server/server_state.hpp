#pragma once
// What every session shares: settings, the database pool and its workers, metrics, the access
// log, and the set of live sessions (for a clean shutdown).
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "server/access_log.hpp"
#include "server/config.hpp"
#include "server/metrics.hpp"
#include "server/pool.hpp"
#include "server/replica_status.hpp"
#include "server/route.hpp"

namespace ge::server {

class Session;

struct ServerState {
  explicit ServerState(const ServerConfig& cfg)
      : config(cfg),
        pool(cfg.pool),
        replica({cfg.pool.conninfo, cfg.replica_check_interval, cfg.max_replica_lag}, [this] { pool.recycle(); }),
        workers(cfg.pool.size),
        access_log(cfg.access_log) {}

  ServerConfig config;
  Pool pool;
  Metrics metrics;
  // Started by Server::run, stopped before the pool goes (declared after it).
  ReplicaMonitor replica;
  Services services{pool, metrics, &replica};
  // Handlers that block on PostgreSQL run here, never on the I/O threads.
  boost::asio::thread_pool workers;
  AccessLog access_log;
  std::atomic<bool> stopping{false};

  void add_session(Session* key, std::weak_ptr<Session> session);
  void remove_session(Session* key);
  std::vector<std::shared_ptr<Session>> live_sessions();
  std::size_t session_count();
  // Asks up to `count` of the connections idle the longest to close (Session::evict); returns
  // how many were asked. Those are marked so that the next scan passes them over.
  std::size_t evict_idle(std::size_t count);
  // Called (from any thread) when the last session is gone during shutdown.
  std::function<void()> on_drained;

 private:
  std::mutex sessions_mutex_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
};

}  // namespace ge::server
