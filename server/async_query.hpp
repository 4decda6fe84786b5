#pragma once
// Runs one prepared statement on a leased connection without blocking the calling thread: the
// query is sent, the connection's socket is watched by the I/O threads' reactor, and the result
// is read when it is there. No worker thread and no hand-over between threads: a database
// request costs the I/O thread a send, a wake-up and a receive.
#include <boost/asio/any_io_executor.hpp>

#include <functional>
#include <optional>

#include "common/db/connection.hpp"
#include "server/pool.hpp"

namespace ge::server {

struct QueryOutcome {
  db::Result result;
  std::optional<db::Error> error;  // SQLSTATE 08006 and !lease->ok() when the connection broke
};

using QueryDone = std::function<void(QueryOutcome&&, Pool::Lease&&)>;

// Precondition: call.statement is prepared on the lease's connection (is_prepared). `done` runs
// on `executor` (the requesting connection's strand) with the outcome and the lease back. If the operation is
// destroyed unfinished (the io_context stopped), the connection is abandoned, never reused with
// a result pending.
void async_query(Pool::Lease lease, Call call, const boost::asio::any_io_executor& executor, QueryDone done);

}  // namespace ge::server
