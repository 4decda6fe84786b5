#include "server/query_dispatcher.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cassert>
#include <optional>
#include <utility>

#include "server/async_query.hpp"
#include "server/pool.hpp"
#include "server/query_pipeline.hpp"
#include "server/router.hpp"
#include "server/server_state.hpp"

namespace ge::server {

namespace net = boost::asio;

namespace {

// One request's database work on its way through the paths. Every step runs on `executor` (the
// connection's strand) unless it says otherwise.
struct Job {
  Job(ServerState& s, const net::any_io_executor& e, ResolvedRequest r, Clock::time_point d,
      QueryDispatcher::Respond done, std::optional<DbQuery> q)
      : state(s), executor(e), request(std::move(r)), deadline(d), respond(std::move(done)), query(std::move(q)) {}

  ServerState& state;
  net::any_io_executor executor;
  ResolvedRequest request;
  Clock::time_point deadline;
  QueryDispatcher::Respond respond;
  std::optional<DbQuery> query;  // the plan's statement; none for a route with a handler

  std::string_view route() const noexcept { return request.route->pattern; }
};
using JobPtr = std::shared_ptr<Job>;

// A wait for a connection or a worker: whichever claims the request first answers it — the
// work, or the timer with 503 pool_exhausted at the deadline.
struct Wait {
  explicit Wait(const net::any_io_executor& executor) : timer(executor) {}
  std::atomic<bool> claimed{false};
  net::steady_timer timer;
};

void run_on_workers(const JobPtr& job);

// worker_job: the request is counted among the workers' queued jobs (Pool::job_queued).
void answer_at_deadline(const JobPtr& job, const std::shared_ptr<Wait>& wait, bool worker_job) {
  wait->timer.expires_at(job->deadline);
  wait->timer.async_wait([job, wait, worker_job](boost::system::error_code ec) {
    if (ec || wait->claimed.exchange(true)) return;
    if (worker_job) job->state.pool.job_started();  // it leaves the queue unstarted
    job->state.pool.count_acquire_timeout();
    job->respond(pool_exhausted_reply());
  });
}

// The outcome of way 1 or 2: the reply, or, when running the query again can mend its failure
// (Pool::count_failure), the workers, whose Pool::run runs it again.
void finish(const JobPtr& job, QueryOutcome&& outcome, bool connection_ok) {
  if (outcome.error) {
    if (job->state.pool.count_failure(outcome.error->sqlstate(), connection_ok) != Pool::Failure::statement) {
      run_on_workers(job);
      return;
    }
    job->respond(db_error_reply(*outcome.error, job->route()));
    return;
  }
  job->respond(answer(*job->query, outcome.result, job->route()));
}

// Way 2 with a connection, or (none came this way, or it has not prepared the statement yet:
// preparing is a blocking round trip, once per connection) way 3.
void on_lease(const JobPtr& job, std::optional<Pool::Lease> lease) {
  const Call& call = job->query->call;
  if (!lease || !(*lease)->is_prepared(call.statement->name)) {
    lease.reset();
    run_on_workers(job);
    return;
  }
  async_query(std::move(*lease), call, job->executor, [job](QueryOutcome&& outcome, Pool::Lease&& used) {
    const bool connection_ok = used->ok();
    { const Pool::Lease released = std::move(used); }  // free before the answer is built, or the retry
    finish(job, std::move(outcome), connection_ok);
  });
}

// Way 1, else way 2 (an idle connection now, else a place in the pool's queue until the
// deadline), else way 3.
void run_query(const JobPtr& job, QueryPipeline* pipeline) {
  const Call& call = job->query->call;
  // Asked first, so that the callback is built only when the pipeline takes the query (ready_for
  // and submit run back to back on this thread: nothing changes in between).
  if (pipeline != nullptr && pipeline->ready_for(call)) {
    const bool taken = pipeline->submit(call, [job](QueryOutcome&& outcome) {
      // On the connection's thread, but outside its strand: continue in the strand.
      net::dispatch(job->executor,
                    [job, outcome = std::move(outcome)]() mutable { finish(job, std::move(outcome), true); });
    });
    assert(taken);
    (void)taken;
    return;
  }
  if (auto idle = job->state.pool.try_acquire_idle()) {
    on_lease(job, std::move(idle));
    return;
  }
  auto wait = std::make_shared<Wait>(job->executor);
  Pool::AsyncWaiter waiter{std::shared_ptr<std::atomic<bool>>(wait, &wait->claimed),
                           [job, wait](std::optional<Pool::Lease> lease) {
                             // On whichever thread released the connection: continue on the strand.
                             net::post(job->executor, [job, wait, lease = std::move(lease)]() mutable {
                               wait->timer.cancel();
                               on_lease(job, std::move(lease));
                             });
                           }};
  auto acquired = job->state.pool.acquire_async(std::move(waiter));
  switch (acquired.status) {
    case Pool::AsyncAcquire::got: on_lease(job, std::move(acquired.lease)); return;
    case Pool::AsyncAcquire::use_blocking_acquire: run_on_workers(job); return;
    case Pool::AsyncAcquire::queued:
      answer_at_deadline(job, wait, false);  // armed only now that the wait has begun
      return;
  }
}

// Way 3. The work guard keeps the I/O loop alive until the reply is back on the strand (even
// during shutdown).
void run_on_workers(const JobPtr& job) {
  auto wait = std::make_shared<Wait>(job->executor);
  answer_at_deadline(job, wait, true);
  job->state.pool.job_queued();
  net::post(job->state.workers, [job, wait, work = net::make_work_guard(job->executor)]() mutable {
    if (wait->claimed.exchange(true)) return;  // the timer has answered already
    job->state.pool.job_started();
    Reply reply = run(job->request, job->state.services, job->deadline);
    net::post(job->executor, [job, wait, reply = std::move(reply), work = std::move(work)]() mutable {
      wait->timer.cancel();
      job->respond(std::move(reply));
    });
  });
}

}  // namespace

QueryDispatcher::QueryDispatcher(ServerState& state, std::shared_ptr<QueryPipeline> pipeline)
    : state_(state), pipeline_(std::move(pipeline)) {}

void QueryDispatcher::dispatch(ResolvedRequest request, Clock::time_point deadline,
                               const net::any_io_executor& executor, Respond respond) {
  const Route& route = *request.route;
  if (!route.uses_db) {
    respond(run(request, state_.services, deadline));
    return;
  }
  std::optional<DbQuery> query;
  if (route.plan != nullptr) {
    Plan planned = plan(request, state_.services, deadline);
    if (auto* reply = std::get_if<Reply>(&planned)) {
      respond(std::move(*reply));
      return;
    }
    query = std::get<DbQuery>(std::move(planned));
  }
  auto job =
      std::make_shared<Job>(state_, executor, std::move(request), deadline, std::move(respond), std::move(query));
  if (job->query) {
    run_query(job, pipeline_.get());
  } else {
    run_on_workers(job);
  }
}

}  // namespace ge::server
