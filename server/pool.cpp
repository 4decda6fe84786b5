#include "server/pool.hpp"

#include <algorithm>

#include "common/db/sqlstate.hpp"

namespace ge::server {

PooledConnection::PooledConnection(const std::string& conninfo, std::chrono::milliseconds statement_timeout)
    : conn_(conninfo), statement_timeout_(statement_timeout) {
  configure();
}

void PooledConnection::configure() {
  // Read-only by construction, UTC, and no query runs for ever on a server thread.
  conn_.exec(
      "SET application_name = 'evserve'; SET default_transaction_read_only = on; SET TimeZone = 'UTC'; "
      "SET DateStyle = 'ISO, YMD'; SET client_min_messages = warning; SET statement_timeout = " +
      std::to_string(statement_timeout_.count()));
  prepared_.clear();
}

bool PooledConnection::revive() {
  if (ok()) return true;
  abandoned_ = false;
  PQreset(conn_.get());
  if (!conn_.ok()) return false;
  configure();
  return true;
}

void PooledConnection::rethrow(const db::Error& error) const {
  if (!conn_.ok()) throw db::Error(error.what(), db::sqlstate::kConnectionFailure);
  throw error;
}

db::Result PooledConnection::run(const Statement& statement, const SqlParams& params) {
  const std::string name(statement.name);
  if (!prepared_.contains(statement.name)) {
    try {
      conn_.prepare(name, std::string(statement.sql), statement.parameters);
      prepared_.after_prepare(statement.name, {});
    } catch (const db::Error& error) {
      if (!prepared_.after_prepare(statement.name, error.sqlstate())) rethrow(error);
    }
  }
  try {
    return conn_.exec_prepared(name, params);
  } catch (const db::Error& error) {
    prepared_.after_execute_error(statement.name, error.sqlstate());
    rethrow(error);
  }
}

Pool::Lease::~Lease() {
  if (pool_ && conn_) pool_->release(std::move(conn_));
}

Pool::Pool(PoolOptions options) : options_(std::move(options)) {
  if (options_.size == 0) options_.size = 1;
}

Pool::Lease Pool::acquire(Clock::time_point deadline) {
  std::unique_ptr<PooledConnection> conn;
  {
    std::unique_lock lock(mutex_);
    const auto free = [&] { return !idle_.empty() || open_ < options_.size; };
    bool got = free() && Clock::now() < deadline;
    if (!got && Clock::now() < deadline) {
      ++waiting_;
      got = available_.wait_until(lock, deadline, free);
      --waiting_;
    }
    if (!got) {
      acquire_timeouts_.fetch_add(1, std::memory_order_relaxed);
      throw PoolTimeout("no database connection became free within the acquire timeout");
    }
    ++in_use_;
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;  // reserve the slot while connecting outside the lock
    }
  }
  try {
    // Read before connecting: a recycle() while connecting makes this connection stale at once.
    const std::uint64_t epoch = epoch_.load(std::memory_order_acquire);
    if (!conn) {
      conn = std::make_unique<PooledConnection>(options_.conninfo, options_.statement_timeout);
      conn->set_epoch(epoch);
    } else if (!conn->ok()) {
      resets_.fetch_add(1, std::memory_order_relaxed);
      if (!conn->revive()) throw db::Error("cannot reconnect to PostgreSQL", db::sqlstate::kConnectionFailure);
      conn->set_epoch(epoch);
    }
  } catch (...) {
    connect_failures_.fetch_add(1, std::memory_order_relaxed);
    {
      const std::lock_guard lock(mutex_);
      --in_use_;
      --open_;
    }
    available_.notify_one();
    throw;
  }
  return Lease(*this, std::move(conn));
}

void Pool::drop_async_waiters() noexcept {
  std::deque<AsyncWaiter> dropped;  // destroyed after the lock is released
  const std::lock_guard lock(mutex_);
  dropped.swap(async_waiters_);
}

std::optional<Pool::Lease> Pool::try_acquire_idle() {
  std::unique_ptr<PooledConnection> conn;
  {
    const std::lock_guard lock(mutex_);
    if (waiting_ > 0 || idle_.empty() || !idle_.back()->ok() || !is_current(*idle_.back())) return std::nullopt;
    conn = std::move(idle_.back());
    idle_.pop_back();
    ++in_use_;
  }
  return Lease(*this, std::move(conn));
}

Pool::AsyncAcquired Pool::acquire_async(AsyncWaiter waiter) {
  std::unique_ptr<PooledConnection> conn;
  {
    const std::lock_guard lock(mutex_);
    // Threads blocked in acquire() go first; a connection to open or revive blocks, so that is
    // left to acquire() on a worker as well.
    if (waiting_ == 0 && !idle_.empty() && idle_.back()->ok() && is_current(*idle_.back())) {
      conn = std::move(idle_.back());
      idle_.pop_back();
      ++in_use_;
    } else if (waiting_ > 0 || !idle_.empty() || open_ < options_.size) {
      return {AsyncAcquire::use_blocking_acquire, std::nullopt};
    } else {
      async_waiters_.push_back(std::move(waiter));
      return {AsyncAcquire::queued, std::nullopt};
    }
  }
  return {AsyncAcquire::got, Lease(*this, std::move(conn))};
}

void Pool::release(std::unique_ptr<PooledConnection> conn) noexcept {
  std::unique_ptr<PooledConnection> broken;  // closed after the lock is released
  std::optional<AsyncWaiter> next;           // handed the connection (or told to open one)
  {
    const std::lock_guard lock(mutex_);
    if (waiting_ == 0) {
      while (!async_waiters_.empty() && !next) {
        if (!async_waiters_.front().claimed->exchange(true)) next = std::move(async_waiters_.front());
        async_waiters_.pop_front();
      }
    }
    // A connection from before the last recycle() goes like a broken one.
    if (conn->ok() && is_current(*conn)) {
      if (!next) {
        --in_use_;
        idle_.push_back(std::move(conn));
      }
    } else {
      --in_use_;
      broken = std::move(conn);
      --open_;  // the next acquire opens a fresh one
    }
  }
  if (next) {
    try {
      if (conn) {
        next->give(Lease(*this, std::move(conn)));
      } else {
        next->give(std::nullopt);  // the waiter opens a fresh connection with acquire()
      }
    } catch (...) {
      // give only posts to an executor; nothing sensible is left to do if even that fails
    }
    return;
  }
  available_.notify_one();
}

Pool::Failure Pool::count_failure(std::string_view sqlstate, bool connection_ok) noexcept {
  query_errors_.fetch_add(1, std::memory_order_relaxed);
  const bool conflict = db::sqlstate::is_recovery_conflict(sqlstate);
  if (conflict) recovery_conflicts_.fetch_add(1, std::memory_order_relaxed);
  // A conflict that ended the session lost the connection too: that is what the retry must know.
  if (!connection_ok || db::sqlstate::is_connection_lost(sqlstate)) return Failure::connection_lost;
  return conflict ? Failure::recovery_conflict : Failure::statement;
}

void Pool::recycle() noexcept {
  epoch_.fetch_add(1, std::memory_order_acq_rel);
  recycles_.fetch_add(1, std::memory_order_relaxed);
  discard_idle();
}

void Pool::discard_idle() noexcept {
  std::vector<std::unique_ptr<PooledConnection>> dropped;  // closed after the lock is released
  {
    const std::lock_guard lock(mutex_);
    dropped.swap(idle_);
    open_ -= dropped.size();
  }
  available_.notify_all();  // waiters may now open connections of their own
}

PoolStats Pool::stats() const {
  PoolStats stats;
  {
    const std::lock_guard lock(mutex_);
    stats.size = options_.size;
    stats.open = open_;
    stats.in_use = in_use_;
    // async_waiters_ may still hold a few that timed out and are dropped on the next release
    stats.waiting =
        waiting_ + async_waiters_.size() + static_cast<std::size_t>(std::max<std::int64_t>(0, queued_.load()));
  }
  stats.acquire_timeouts = acquire_timeouts_.load(std::memory_order_relaxed);
  stats.connect_failures = connect_failures_.load(std::memory_order_relaxed);
  stats.resets = resets_.load(std::memory_order_relaxed);
  stats.query_errors = query_errors_.load(std::memory_order_relaxed);
  stats.recovery_conflicts = recovery_conflicts_.load(std::memory_order_relaxed);
  stats.recycles = recycles_.load(std::memory_order_relaxed);
  return stats;
}

}  // namespace ge::server
