#include "server/async_query.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/generic/stream_protocol.hpp>

#include <array>
#include <memory>

#include "common/db/sqlstate.hpp"
#include "server/libpq_io.hpp"

namespace ge::server {
namespace {

namespace net = boost::asio;

// The SQLSTATE of a failure to send or read: connection_failure when the connection broke.
std::string_view io_failure_state(const PooledConnection& conn) noexcept {
  return conn.ok() ? std::string_view{} : db::sqlstate::kConnectionFailure;
}

class AsyncQuery : public std::enable_shared_from_this<AsyncQuery> {
 public:
  AsyncQuery(Pool::Lease lease, Call call, const net::any_io_executor& executor, QueryDone done)
      : lease_(std::move(lease)),
        call_(std::move(call)),
        executor_(executor),
        socket_(executor),
        done_(std::move(done)) {}

  AsyncQuery(const AsyncQuery&) = delete;
  AsyncQuery& operator=(const AsyncQuery&) = delete;

  ~AsyncQuery() {
    boost::system::error_code ignored;
    if (socket_.is_open()) socket_.release(ignored);  // the descriptor is libpq's
    if (!finished_) lease_->abandon();
  }

  void start() {
    PGconn* pg = lease_->connection().get();
    try {
      (void)watch_libpq_socket(pg, socket_);
    } catch (const db::Error& error) {
      fail(error);
      return;
    }
    // Wait first, send second: the answer cannot arrive before the wait is registered, so the
    // reactor's edge-triggered readiness event cannot be missed.
    socket_.async_wait(
        net::socket_base::wait_read,
        net::bind_executor(executor_, [self = shared_from_this()](boost::system::error_code) { self->on_readable(); }));
    const auto count = call_.params.size();
    if (count > kMaxAsyncParameters) {
      fail(db::Error("too many statement parameters"));
      return;
    }
    const ParameterValues values = parameter_values(call_.params);
    const std::string name(call_.statement->name);
    if (PQsendQueryPrepared(pg, name.c_str(), static_cast<int>(count), values.data(), nullptr, nullptr, 0) == 0) {
      send_error_ = db::Error("SQL failed: " + lease_->connection().error_message(), io_failure_state(*lease_));
      boost::system::error_code ignored;
      socket_.cancel(ignored);  // on_readable reports it
    }
  }

 private:
  void on_readable() {
    if (send_error_) {
      fail(std::move(*send_error_));
      return;
    }
    PGconn* pg = lease_->connection().get();
    if (PQconsumeInput(pg) == 0) {
      fail(db::Error("SQL failed: " + lease_->connection().error_message(), io_failure_state(*lease_)));
      return;
    }
    while (PQisBusy(pg) == 0) {
      PGresult* result = PQgetResult(pg);
      if (result == nullptr) {
        finish();
        return;
      }
      if (!got_result_) {
        got_result_ = true;
        try {
          outcome_.result = lease_->connection().check(result, "SQL failed");
        } catch (const db::Error& error) {
          outcome_.error = error;
        }
      } else {
        PQclear(result);
      }
    }
    // Only part of the answer is in. A wait registered now could miss an edge that came in
    // between, so this waits with a peeking receive, which the reactor tries at once.
    socket_.async_receive(
        net::buffer(peek_), net::socket_base::message_peek,
        net::bind_executor(
            executor_, [self = shared_from_this()](boost::system::error_code, std::size_t) { self->on_readable(); }));
  }

  void fail(db::Error error) {
    outcome_.error = std::move(error);
    if (!lease_->ok()) outcome_.error = db::Error(outcome_.error->what(), db::sqlstate::kConnectionFailure);
    finish();
  }

  void finish() {
    finished_ = true;
    boost::system::error_code ignored;
    if (socket_.is_open()) socket_.release(ignored);
    if (!outcome_.error && !got_result_) outcome_.error = db::Error("PostgreSQL sent no result");
    if (outcome_.error) {
      lease_->prepared().after_execute_error(call_.statement->name, outcome_.error->sqlstate());
      if (!lease_->ok()) outcome_.error = db::Error(outcome_.error->what(), db::sqlstate::kConnectionFailure);
    }
    done_(std::move(outcome_), std::move(lease_));
  }

  Pool::Lease lease_;
  Call call_;
  net::any_io_executor executor_;
  net::generic::stream_protocol::socket socket_;
  QueryDone done_;
  QueryOutcome outcome_;
  std::optional<db::Error> send_error_;
  std::array<char, 1> peek_{};
  bool got_result_ = false;
  bool finished_ = false;
};

}  // namespace

void async_query(Pool::Lease lease, Call call, const net::any_io_executor& executor, QueryDone done) {
  std::make_shared<AsyncQuery>(std::move(lease), std::move(call), executor, std::move(done))->start();
}

}  // namespace ge::server
