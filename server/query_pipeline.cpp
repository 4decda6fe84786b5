#include "server/query_pipeline.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>

#include "common/db/sqlstate.hpp"
#include "server/libpq_io.hpp"

namespace ge::server {

namespace net = boost::asio;

namespace {

// After a failed attempt to get a connection, the pipeline waits this long before the next one
// (meanwhile its requests take the pool's ordinary path, which reports the trouble).
constexpr auto kRetryAfterConnectFailure = std::chrono::seconds(1);

// TCP_CORK on or off: while on, the kernel holds what libpq writes (a write per Sync) and sends
// the batch as one segment when it goes off, so PostgreSQL's backend wakes once for it.
void set_cork(int fd, bool on) noexcept {
  const int value = on ? 1 : 0;
  (void)setsockopt(fd, IPPROTO_TCP, TCP_CORK, &value, sizeof value);
}

}  // namespace

QueryPipeline::QueryPipeline(net::io_context& ioc, Pool& pool, net::thread_pool& workers, Metrics& metrics,
                             std::size_t depth)
    : ioc_(ioc),
      pool_(pool),
      workers_(workers),
      metrics_(metrics),
      depth_(std::max<std::size_t>(1, depth)),
      watchdog_(ioc) {}

QueryPipeline::~QueryPipeline() { close(); }

bool QueryPipeline::ready_for(const Call& call) {
  if (closed_ || disabled_ || call.statement == nullptr || call.params.size() > kMaxAsyncParameters) return false;
  // The pool was recycled (the server the connection string leads to changed): once empty, this
  // connection goes back (the pool closes it) and the next one is opened where libpq leads now.
  if (lease_ && pending_.empty() && sent_.empty() && !pool_.is_current(**lease_)) release_connection(false);
  if (!lease_) connect();  // may install an idle connection at once
  if (!lease_) return false;
  if (pending_.size() + sent_.size() >= depth_) return false;
  // Behind a slow query the others would wait for it: they take connections of their own.
  if (!sent_.empty() && Clock::now() - sent_.front().sent_at > kSlowQuery) return false;
  // Its PREPARE is on the way: were it to fail, this query would fail differently (26000).
  const std::string_view name = call.statement->name;
  return (*lease_)->is_prepared(name) || std::find(preparing_.begin(), preparing_.end(), name) == preparing_.end();
}

bool QueryPipeline::submit(Call call, Done done) {
  if (!ready_for(call)) return false;
  const std::string_view name = call.statement->name;
  const bool prepared = (*lease_)->is_prepared(name);
  if (!prepared) preparing_.push_back(name);
  pending_.push_back(Entry{std::move(call), std::move(done), !prepared, {}, false});
  metrics_.pipeline_queued(1);
  schedule_flush();
  return true;
}

void QueryPipeline::connect() {
  if (connecting_ || closed_ || Clock::now() < retry_after_) return;
  if (auto idle = pool_.try_acquire_idle()) {
    install(std::move(idle));
    return;
  }
  // Opening a connection blocks: a database worker does it and hands the lease back here.
  connecting_ = true;
  net::post(workers_, [self = shared_from_this()] {
    auto lease = std::make_shared<std::optional<Pool::Lease>>();
    try {
      lease->emplace(self->pool_.acquire());
    } catch (const std::exception&) {
      // the database is down or every connection is busy: tried again later
    }
    net::post(self->ioc_, [self, lease] {
      self->connecting_ = false;
      self->install(std::move(*lease));
    });
  });
}

void QueryPipeline::install(std::optional<Pool::Lease> lease) {
  if (closed_ || lease_) return;  // the lease goes back to the pool
  const auto try_later = [this] { retry_after_ = Clock::now() + kRetryAfterConnectFailure; };
  if (!lease || !(*lease)->ok()) {
    try_later();
    return;
  }
  PGconn* pg = (*lease)->connection().get();
  if (PQsslInUse(pg) != 0) {
    // OpenSSL may hold decrypted bytes that no socket readiness would announce: the peeking
    // wait below cannot see them. TLS connections take the pool's way.
    disabled_ = true;
    return;
  }
  socket_.emplace(ioc_);
  int family = 0;
  try {
    family = watch_libpq_socket(pg, *socket_);
  } catch (const db::Error&) {
    socket_.reset();
    try_later();
    return;
  }
  const auto unwatch = [this] {
    boost::system::error_code ignored;
    (void)socket_->release(ignored);  // the descriptor is libpq's
    socket_.reset();
  };
  if (PQenterPipelineMode(pg) == 0) {
    unwatch();
    try_later();
    return;
  }
  if (PQsetnonblocking(pg, 1) != 0) {
    unwatch();
    (*lease)->abandon();  // in pipeline mode, which the pool's other users do not expect
    try_later();
    return;
  }
  tcp_ = family == AF_INET || family == AF_INET6;
  lease_.emplace(std::move(*lease));
  ++generation_;
  metrics_.pipeline_connected(true);
  if (!pending_.empty()) schedule_flush();
}

// The flush runs after the handlers already queued on this thread, so the queries that this
// round of reactor events brought go out together.
void QueryPipeline::schedule_flush() {
  if (flush_posted_ || !lease_) return;
  flush_posted_ = true;
  net::post(ioc_, [self = shared_from_this()] { self->flush(); });
}

void QueryPipeline::flush() {
  flush_posted_ = false;
  if (!lease_ || pending_.empty()) return;
  PGconn* pg = (*lease_)->connection().get();
  const int fd = PQsocket(pg);
  if (tcp_) set_cork(fd, true);
  const auto now = Clock::now();
  std::size_t count = 0;
  bool ok = true;
  while (!pending_.empty()) {
    Entry& entry = pending_.front();
    const Statement& statement = *entry.call.statement;
    const std::string name(statement.name);
    if (entry.prepare &&
        PQsendPrepare(pg, name.c_str(), std::string(statement.sql).c_str(), statement.parameters, nullptr) == 0) {
      ok = false;
      break;
    }
    const auto& params = entry.call.params;
    const ParameterValues values = parameter_values(params);
    if (PQsendQueryPrepared(pg, name.c_str(), static_cast<int>(params.size()), values.data(), nullptr, nullptr, 0) ==
            0 ||
        PQpipelineSync(pg) == 0) {
      ok = false;
      break;
    }
    entry.sent_at = now;
    sent_.push_back(std::move(entry));
    pending_.pop_front();
    ++count;
  }
  if (tcp_) set_cork(fd, false);
  if (!ok) {
    fail_all("SQL failed: " + (*lease_)->connection().error_message());
    return;
  }
  push_output();
  if (!lease_) return;  // the write failed: fail_all answered them
  metrics_.pipeline_batch(count);
  arm_read();
  arm_watchdog();
}

void QueryPipeline::push_output() {
  if (!lease_) return;
  const int flushed = PQflush((*lease_)->connection().get());
  if (flushed < 0) {
    fail_all("SQL failed: " + (*lease_)->connection().error_message());
    return;
  }
  if (flushed == 1) arm_write();
}

// One thread runs this io_context, so no readiness event can be reported between libpq's last
// read or write and the wait registered after it: a wait never misses an edge that came meanwhile.
void QueryPipeline::arm_write() {
  if (writing_ || !socket_) return;
  writing_ = true;
  socket_->async_wait(net::socket_base::wait_write,
                      [self = shared_from_this(), generation = generation_](boost::system::error_code ec) {
                        if (generation != self->generation_) return;
                        self->writing_ = false;
                        if (ec) {
                          self->fail_all("PostgreSQL connection: " + ec.message());
                          return;
                        }
                        self->push_output();
                      });
}

// A peeking receive, which the reactor tries at once: libpq may have left part of the answers
// in the socket, and no new readiness event would come for those.
void QueryPipeline::arm_read() {
  if (reading_ || !socket_ || sent_.empty()) return;
  reading_ = true;
  socket_->async_receive(
      net::buffer(peek_), net::socket_base::message_peek,
      [self = shared_from_this(), generation = generation_](boost::system::error_code ec, std::size_t) {
        if (generation != self->generation_) return;
        self->reading_ = false;
        self->on_readable(ec);
      });
}

void QueryPipeline::on_readable(boost::system::error_code ec) {
  if (ec) {
    fail_all("PostgreSQL connection: " + ec.message());
    return;
  }
  if (!take_results()) return;
  arm_read();
}

bool QueryPipeline::take_results() {
  PGconn* pg = (*lease_)->connection().get();
  if (PQconsumeInput(pg) == 0) {
    fail_all("SQL failed: " + (*lease_)->connection().error_message());
    return false;
  }
  const std::uint64_t generation = generation_;
  int nulls = 0;  // one NULL ends each statement's results; two in a row would mean libpq has nothing queued
  while (generation == generation_ && !sent_.empty() && PQisBusy(pg) == 0) {
    PGresult* result = PQgetResult(pg);
    if (result == nullptr) {
      if (++nulls > 1) break;
      continue;
    }
    nulls = 0;
    take(result);
  }
  if (generation != generation_) return false;
  // libpq closes the connection itself on a protocol error or when out of memory: its
  // descriptor must not be watched any more.
  if (PQstatus(pg) == CONNECTION_BAD) {
    fail_all("SQL failed: " + (*lease_)->connection().error_message());
    return false;
  }
  return true;
}

void QueryPipeline::take(PGresult* result) {
  Entry& entry = sent_.front();
  switch (PQresultStatus(result)) {
    case PGRES_PIPELINE_SYNC:
      PQclear(result);
      finish_front();
      return;
    case PGRES_COMMAND_OK:  // the PREPARE
      PQclear(result);
      if (entry.prepare) (void)(*lease_)->prepared().after_prepare(entry.call.statement->name, {});
      return;
    case PGRES_TUPLES_OK:
      if (entry.got_rows || entry.outcome.error) {
        PQclear(result);
      } else {
        entry.outcome.result = db::Result(result);
        entry.got_rows = true;
      }
      return;
    case PGRES_PIPELINE_ABORTED:  // after a failed PREPARE: its error is the answer
      PQclear(result);
      if (!entry.outcome.error) entry.outcome.error = db::Error("SQL failed: statement not run");
      return;
    default:
      if (entry.outcome.error) {
        PQclear(result);
        return;
      }
      try {
        (void)(*lease_)->connection().check(result, "SQL failed");
        entry.outcome.error = db::Error("SQL failed: unexpected result from PostgreSQL");
      } catch (const db::Error& error) {
        entry.outcome.error = error;
      }
      // The PREPARE found the statement there already (an earlier PREPARE that was reported as
      // failed had taken effect, prepared_statements.hpp): it is prepared, and the query, which
      // the pipeline skipped, goes again (finish_front).
      if (entry.prepare && !entry.got_rows &&
          (*lease_)->prepared().after_prepare(entry.call.statement->name, entry.outcome.error->sqlstate())) {
        entry.resend = true;
      }
      return;
  }
}

void QueryPipeline::finish_front() {
  Entry entry = std::move(sent_.front());
  sent_.pop_front();
  metrics_.pipeline_queued(-1);
  const std::string_view name = entry.call.statement->name;
  if (entry.prepare) std::erase(preparing_, name);
  if (entry.resend) {
    pending_.push_back(Entry{std::move(entry.call), std::move(entry.done), false, {}, false});
    metrics_.pipeline_queued(1);
    schedule_flush();
    return;
  }
  if (quiescing_ && sent_.empty()) watchdog_.cancel();
  if (!entry.outcome.error && !entry.got_rows) entry.outcome.error = db::Error("PostgreSQL sent no result");
  if (entry.outcome.error) (*lease_)->prepared().after_execute_error(name, entry.outcome.error->sqlstate());
  entry.done(std::move(entry.outcome));
}

void QueryPipeline::fail_all(const std::string& why) {
  std::deque<Entry> failed = std::move(sent_);
  sent_.clear();
  for (auto& entry : pending_) failed.push_back(std::move(entry));
  pending_.clear();
  preparing_.clear();
  release_connection(true);
  metrics_.pipeline_queued(-static_cast<std::int64_t>(failed.size()));
  const db::Error error(why, db::sqlstate::kConnectionFailure);  // retried on a fresh connection
  for (auto& entry : failed) {
    QueryOutcome outcome;
    outcome.error = error;
    entry.done(std::move(outcome));
  }
}

void QueryPipeline::release_connection(bool abandon) noexcept {
  ++generation_;  // handlers of the old socket's operations now do nothing
  reading_ = false;
  writing_ = false;
  if (socket_) {
    boost::system::error_code ignored;
    (void)socket_->release(ignored);  // the descriptor is libpq's
    socket_.reset();
  }
  if (!lease_) return;
  PGconn* pg = (*lease_)->connection().get();
  if (abandon || PQsetnonblocking(pg, 0) != 0 || PQexitPipelineMode(pg) == 0) (*lease_)->abandon();
  lease_.reset();  // back to the pool, which closes it if abandoned
  metrics_.pipeline_connected(false);
}

// One timer for the pipeline, not one per query: armed while queries are in flight, it checks
// the oldest once a second.
void QueryPipeline::arm_watchdog() {
  if (watching_ || sent_.empty() || closed_) return;
  watching_ = true;
  watchdog_.expires_after(std::chrono::seconds(1));
  watchdog_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    self->watching_ = false;
    if (!ec) self->on_watchdog();
  });
}

void QueryPipeline::on_watchdog() {
  if (sent_.empty() || !lease_) return;
  const auto limit = pool_.options().statement_timeout + kUnansweredGrace;
  if (Clock::now() - sent_.front().sent_at > limit) {
    fail_all("no answer from PostgreSQL within statement_timeout + " + std::to_string(kUnansweredGrace.count()) + " s");
    return;
  }
  arm_watchdog();
}

void QueryPipeline::quiesce() {
  net::post(ioc_, [self = shared_from_this()] {
    self->quiescing_ = true;
    // Queries still in flight keep their watchdog until answered.
    if (self->sent_.empty()) self->watchdog_.cancel();
  });
}

void QueryPipeline::close() noexcept {
  if (closed_) return;
  closed_ = true;
  watchdog_.cancel();
  release_connection(!sent_.empty());
  metrics_.pipeline_queued(-static_cast<std::int64_t>(sent_.size() + pending_.size()));
  sent_.clear();  // their sessions go with the callbacks, while the server's state is still there
  pending_.clear();
  preparing_.clear();
}

}  // namespace ge::server
