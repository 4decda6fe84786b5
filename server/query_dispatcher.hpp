#pragma once
// A request's database work, apart from the HTTP connection that asked for it (session.hpp), as
// Beast's advanced_server keeps request → response a function apart from the connection: the
// session hands over a resolved request and gets its reply back, once, on its strand. A route
// without a database is answered at once; a route with a plan (one statement: the statistics)
// has the statement run without blocking a thread, in the first of these ways that takes it
// (server/README.md, "Threading"):
//   1. the I/O thread's query pipeline (query_pipeline.hpp);
//   2. a pooled connection of its own, idle now or handed over by the pool when one is released
//      (Pool::acquire_async), the statement run by async_query.hpp;
//   3. the database workers (blocking, through Pool::run): opening or resetting a connection, a
//      statement not yet prepared on the leased connection, the routes with handlers of their
//      own (/readyz, /v1/loads/latest), and a query that failed on way 1 or 2 in a way that
//      running it again can mend (Pool::count_failure: the connection was lost, or a hot standby
//      cancelled it), which Pool::run retries with its pauses while the deadline allows.
// A request still waiting for a connection (2) or a worker (3) at its deadline is answered 503
// pool_exhausted then, by a timer.
#include <boost/asio/any_io_executor.hpp>

#include <functional>
#include <memory>

#include "server/reply.hpp"
#include "server/route.hpp"
#include "server/statement.hpp"

namespace ge::server {

class QueryPipeline;
struct ServerState;

class QueryDispatcher {
 public:
  // Called once with the request's reply, on the executor given to dispatch().
  using Respond = std::function<void(Reply)>;

  // pipeline: the I/O thread's query pipeline, or nullptr (then every query leases a connection).
  QueryDispatcher(ServerState& state, std::shared_ptr<QueryPipeline> pipeline);

  // On `executor` (the connection's strand, on its I/O thread). deadline: the request's arrival +
  // the pool's acquire timeout.
  void dispatch(ResolvedRequest request, Clock::time_point deadline, const boost::asio::any_io_executor& executor,
                Respond respond);

 private:
  ServerState& state_;
  std::shared_ptr<QueryPipeline> pipeline_;
};

}  // namespace ge::server
