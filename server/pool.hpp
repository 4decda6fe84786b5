#pragma once
// A bounded pool of libpq connections. Connections open lazily up to `size`; acquire() waits
// until one is free or the deadline passes (PoolTimeout). A connection that went bad (the
// server restarted) is reset with PQreset when it is next handed out, and its prepared
// statements are prepared again on first use. Every statement is a named, parameterised
// prepared statement. recycle() makes every connection open now close when it is next given
// back (the replica monitor calls it when the server the connection string leads to changes).
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/db/connection.hpp"
#include "server/prepared_statements.hpp"
#include "server/statement.hpp"

namespace ge::server {

class PoolTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PoolOptions {
  std::string conninfo;
  std::size_t size = 4;
  std::chrono::milliseconds acquire_timeout{2000};
  std::chrono::milliseconds statement_timeout{10000};
};

class PooledConnection {
 public:
  PooledConnection(const std::string& conninfo, std::chrono::milliseconds statement_timeout);
  // Prepares the statement on this connection if needed and runs it. Throws db::Error; after
  // a connection failure the error's SQLSTATE is 08006 (connection_failure) and ok() is false.
  db::Result run(const Statement& statement, const SqlParams& params);
  bool ok() const noexcept { return !abandoned_ && conn_.ok(); }
  // PQreset when the connection is bad; true when it is usable afterwards.
  bool revive();

  // For running statements without blocking (async_query.hpp).
  db::Connection& connection() noexcept { return conn_; }
  bool is_prepared(std::string_view statement) const { return prepared_.contains(statement); }
  // The bookkeeping every path keeps after its PREPAREs and executions (prepared_statements.hpp).
  PreparedStatements& prepared() noexcept { return prepared_; }
  // A query was left unfinished on it (its caller went away): not ok() until revived.
  void abandon() noexcept { abandoned_ = true; }
  // The pool's recycle count when this connection was opened or last reset.
  std::uint64_t epoch() const noexcept { return epoch_; }
  void set_epoch(std::uint64_t epoch) noexcept { epoch_ = epoch; }

 private:
  void configure();
  [[noreturn]] void rethrow(const db::Error& error) const;

  db::Connection conn_;
  std::chrono::milliseconds statement_timeout_;
  PreparedStatements prepared_;
  bool abandoned_ = false;
  std::uint64_t epoch_ = 0;
};

struct PoolStats {
  std::size_t size = 0;  // the bound
  std::size_t open = 0;  // connections that exist (idle + in use)
  std::size_t in_use = 0;
  std::size_t waiting = 0;  // threads waiting in acquire()
  std::uint64_t acquire_timeouts = 0;
  std::uint64_t connect_failures = 0;
  std::uint64_t resets = 0;
  std::uint64_t query_errors = 0;
  std::uint64_t recovery_conflicts = 0;  // queries a hot standby cancelled (sqlstate::is_recovery_conflict)
  std::uint64_t recycles = 0;            // recycle() calls
};

class Pool {
 public:
  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<PooledConnection> conn) : pool_(&pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), conn_(std::move(other.conn_)) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    PooledConnection& operator*() const noexcept { return *conn_; }
    PooledConnection* operator->() const noexcept { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<PooledConnection> conn_;
  };

  explicit Pool(PoolOptions options);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Throws PoolTimeout after the deadline (also when it has passed already: the request waited
  // for a worker that long), db::Error when a connection cannot be opened.
  Lease acquire(Clock::time_point deadline);
  Lease acquire() { return acquire(Clock::now() + options_.acquire_timeout); }

  // What a failed read says about running it again, for every path (this one and the query
  // dispatcher's non-blocking ones, which hand a retriable query to Pool::run on the workers). Every statement
  // the server runs is a read, so what a failover or restart does to it can be retried: a
  // connection lost under the query (sqlstate::is_connection_lost, or a connection no longer ok)
  // and a query a hot standby cancelled for its replay (sqlstate::is_recovery_conflict). Any
  // other error is the statement's own: running it again cannot help. Counts the error (and the
  // conflict) in the pool's statistics.
  enum class Failure { statement, connection_lost, recovery_conflict };
  Failure count_failure(std::string_view sqlstate, bool connection_ok) noexcept;

  // Runs f(PooledConnection&) with a connection. A connection that cannot be opened and a
  // retriable failure (count_failure) are tried again, after a short pause that doubles
  // (kRetryPauses), until the deadline. Any other error, and the last failure when the pauses or
  // the deadline run out, is thrown to the caller.
  template <class F>
  auto run(Clock::time_point deadline, F&& f) {
    for (std::size_t attempt = 0;; ++attempt) {
      std::optional<Lease> acquired;
      try {
        acquired.emplace(acquire(deadline));
      } catch (const db::Error&) {
        // A server shutting down can drop an attempt mid-handshake, where libpq gives up instead
        // of going on to the next host of a multi-host string; a later attempt finds it refusing
        // and moves on (to the primary, when a standby stops).
        if (!retry_allowed(attempt, deadline)) throw;
        pause_before_retry(attempt);
        continue;
      }
      Lease& lease = *acquired;
      try {
        return f(*lease);
      } catch (const db::Error& error) {
        const Failure failure = count_failure(error.sqlstate(), lease->ok());
        if (failure == Failure::statement || !retry_allowed(attempt, deadline)) throw;
        acquired.reset();  // not held during the pause
        // What broke this connection (a restart, a shutdown) broke the idle ones too, and libpq
        // cannot tell until they are used: without this the retry would take one of them.
        if (failure == Failure::connection_lost) discard_idle();
        pause_before_retry(attempt);
      }
    }
  }

  // The pauses between Pool::run's attempts: about 0.6 s in all, enough for a standby's fast
  // shutdown to start refusing connections (then libpq moves on to the next host), short enough
  // that a database that is really down still answers 503 well within the request's deadline.
  static constexpr std::array<std::chrono::milliseconds, 6> kRetryPauses{
      std::chrono::milliseconds{10}, std::chrono::milliseconds{20},  std::chrono::milliseconds{40},
      std::chrono::milliseconds{80}, std::chrono::milliseconds{160}, std::chrono::milliseconds{320}};

  // Acquiring without blocking, for the I/O threads: an idle connection at once (got), or the
  // waiter is queued and `give` receives the lease later from the thread that releases one (give
  // must not block: it posts to the requester's strand) — or nullopt there, or
  // use_blocking_acquire at once, when no connection comes this way (one must be opened or reset,
  // which blocks: use acquire() on a worker). Threads blocked in acquire() are served first. A
  // queued waiter whose `claimed` flag is set (its deadline passed) is skipped.
  struct AsyncWaiter {
    std::shared_ptr<std::atomic<bool>> claimed;
    std::function<void(std::optional<Lease>)> give;
  };
  enum class AsyncAcquire { got, queued, use_blocking_acquire };
  struct AsyncAcquired {
    AsyncAcquire status;
    std::optional<Lease> lease;  // when got
  };
  AsyncAcquired acquire_async(AsyncWaiter waiter);
  // acquire_async's "got" case alone: an idle, usable connection now, else nullopt.
  std::optional<Lease> try_acquire_idle();
  // Drops the queued waiters without calling them (their requesters hold sessions that must go
  // while the server's state is still there: at the end of Server::run).
  void drop_async_waiters() noexcept;

  PoolStats stats() const;
  const PoolOptions& options() const noexcept { return options_; }

  // Every connection open now is closed when it is next given back, and the idle ones at once;
  // those opened afterwards go where the connection string leads now (any thread).
  void recycle() noexcept;
  // Opened (or reset) since the last recycle().
  bool is_current(const PooledConnection& conn) const noexcept {
    return conn.epoch() == epoch_.load(std::memory_order_acquire);
  }

  // Requests queued for a database worker count as waiting for a connection (the workers are as
  // many as the connections). The query dispatcher calls these around the hand-over.
  void job_queued() noexcept { queued_.fetch_add(1, std::memory_order_relaxed); }
  void job_started() noexcept { queued_.fetch_sub(1, std::memory_order_relaxed); }
  void count_acquire_timeout() noexcept { acquire_timeouts_.fetch_add(1, std::memory_order_relaxed); }

 private:
  void release(std::unique_ptr<PooledConnection> conn) noexcept;
  void discard_idle() noexcept;  // closes every idle connection; the next acquire opens anew
  static bool retry_allowed(std::size_t attempt, Clock::time_point deadline) noexcept {
    return attempt < kRetryPauses.size() && Clock::now() + kRetryPauses[attempt] < deadline;
  }
  static void pause_before_retry(std::size_t attempt) { std::this_thread::sleep_for(kRetryPauses[attempt]); }

  PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<PooledConnection>> idle_;
  std::deque<AsyncWaiter> async_waiters_;
  std::size_t open_ = 0;  // idle + in use + being opened
  std::size_t in_use_ = 0;
  std::size_t waiting_ = 0;
  std::atomic<std::int64_t> queued_{0};
  std::atomic<std::uint64_t> acquire_timeouts_{0};
  std::atomic<std::uint64_t> connect_failures_{0};
  std::atomic<std::uint64_t> resets_{0};
  std::atomic<std::uint64_t> query_errors_{0};
  std::atomic<std::uint64_t> recovery_conflicts_{0};
  std::atomic<std::uint64_t> epoch_{0};
  std::atomic<std::uint64_t> recycles_{0};
};

}  // namespace ge::server
