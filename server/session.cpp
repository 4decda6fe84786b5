#include "server/session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/version.hpp>

#include <atomic>
#include <cassert>
#include <iostream>

#include "server/async_query.hpp"
#include "server/browser_http.hpp"
#include "server/http_framing.hpp"
#include "server/connection_lost.hpp"
#include "server/log.hpp"
#include "server/recovery_conflict.hpp"
#include "server/response_text.hpp"

namespace ge::server {

namespace net = boost::asio;
namespace beast = boost::beast;

namespace {

constexpr std::size_t kReadBufferLimit = 64 * 1024;

bool is_http_parse_error(const beast::error_code& ec) {
  return ec.category() == beast::http::make_error_code(beast::http::error::bad_target).category();
}

}  // namespace

Session::Session(net::ip::tcp::socket&& socket, ServerState& state, std::shared_ptr<QueryPipeline> pipeline)
    : stream_(std::move(socket)), read_timer_(stream_.get_executor()), buffer_(kReadBufferLimit), state_(state),
      pipeline_(std::move(pipeline)) {
  beast::error_code ec;
  const auto endpoint = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ = endpoint.address().to_string() + ':' + std::to_string(endpoint.port());
  state_.metrics.connection_opened();
}

Session::~Session() {
  state_.metrics.connection_closed();
  state_.remove_session(this);
}

void Session::start() {
  net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::do_read, shared_from_this()));
}

void Session::shutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->closing_ = true;
    self->finish_if_idle();  // now if nothing is owed, else after the last response is written
  });
}

void Session::evict() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    // A request may have arrived since the registry picked this connection: then it stays.
    if (self->closed_ || !self->reading_ || self->writing_ || !self->queue_.empty()) return;
    self->state_.metrics.connection_evicted();
    self->do_close();  // the pending read ends with operation_aborted
  });
}

void Session::arm_read_timer() {
  // While responses are owed, the handlers' own deadlines bound the wait: no read deadline.
  if (!reading_ || !queue_.empty()) {
    disarm_read_timer();
    return;
  }
  // Idle from now on, and so a candidate for eviction when connections run short.
  idle_since_.store(Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
  const std::uint64_t generation = ++read_timer_generation_;
  read_timer_.expires_after(state_.config.read_timeout);
  read_timer_.async_wait([self = shared_from_this(), generation](beast::error_code ec) {
    if (ec || generation != self->read_timer_generation_ || !self->reading_) return;
    self->do_close();  // the pending read ends with operation_aborted
  });
}

void Session::disarm_read_timer() {
  idle_since_.store(0, std::memory_order_relaxed);
  ++read_timer_generation_;
  read_timer_.cancel();
}

void Session::do_read() {
  if (closing_ || closed_ || reading_ || queue_.size() >= state_.config.pipeline_limit) return;
  if (state_.stopping.load()) {
    closing_ = true;
    finish_if_idle();
    return;
  }
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(state_.config.header_limit));
  parser_->body_limit(state_.config.body_limit);
  stream_.expires_never();  // the stream's timer is for writes; reads use read_timer_
  reading_ = true;
  arm_read_timer();
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&Session::on_header, shared_from_this()));
}

void Session::on_header(beast::error_code ec, std::size_t bytes) {
  if (ec || closed_) {
    // Empty lines before the request line (RFC 9112 §2.2): Beast takes them for a bad method.
    if (ec && !closed_ && !skipped_empty_lines_ && is_http_parse_error(ec) && skip_empty_lines(buffer_) > 0) {
      skipped_empty_lines_ = true;
      reading_ = false;
      disarm_read_timer();
      do_read();
      return;
    }
    on_read(ec, bytes);
    return;
  }
  skipped_empty_lines_ = false;
  if (auto problem = framing_problem(parser_->get())) {
    reading_ = false;
    disarm_read_timer();
    closing_ = true;
    auto slot = std::make_shared<Slot>();
    slot->close = true;
    queue_.push_back(slot);
    const RequestInfo info{parser_->get().method(), std::string(parser_->get().method_string()),
                           std::string(parser_->get().target()), parser_->get().version(), Clock::now(),
                           browser_headers(parser_->get().base())};
    complete(slot, info, kUnmatchedRoute, std::move(*problem));
    return;
  }
  // The client waits for a go-ahead before sending the body: give it, unless responses are
  // still owed on this connection (the 100 would pass them; the client then sends the body
  // after its own short wait).
  if (!parser_->is_done() && expects_continue(parser_->get()) && queue_.empty() && !writing_) {
    writing_ = true;
    stream_.expires_after(state_.config.read_timeout);
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                       self->writing_ = false;
                       if (write_ec) {
                         self->do_close();
                         return;
                       }
                       self->stream_.expires_never();  // the body's read has read_timer_'s deadline
                       self->read_rest();
                     });
    return;
  }
  if (parser_->is_done()) {  // no body (a GET, as nearly always): no second read, no extra hand-off
    on_read({}, bytes);
    return;
  }
  read_rest();
}

void Session::read_rest() {
  if (closed_) return;
  http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
}

void Session::on_read(beast::error_code ec, std::size_t /*bytes*/) {
  reading_ = false;
  disarm_read_timer();
  if (closed_) return;
  if (ec == http::error::end_of_stream || ec == net::error::operation_aborted) {
    closing_ = true;
    finish_if_idle();
    return;
  }
  if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
    reject(http::status::request_header_fields_too_large, ErrorCode::header_too_large,
           "request line and headers exceed " + std::to_string(state_.config.header_limit) + " bytes");
    return;
  }
  if (ec == http::error::body_limit) {
    reject(http::status::payload_too_large, ErrorCode::body_too_large, "request body too large");
    return;
  }
  if (ec && is_http_parse_error(ec) && ec != http::error::partial_message) {
    reject(http::status::bad_request, ErrorCode::bad_request, "malformed HTTP request: " + ec.message());
    return;
  }
  if (ec) {  // the client went away mid-request, or a socket error
    if (ec != net::error::eof && ec != net::error::connection_reset && ec != http::error::partial_message) {
      log_line("read from a client: " + ec.message());
    }
    do_close();
    return;
  }
  handle(parser_->release());
  do_read();
}

// An unparseable request: answer it and close, since the stream can't be trusted any more.
void Session::reject(http::status status, ErrorCode code, std::string_view message) {
  closing_ = true;
  auto slot = std::make_shared<Slot>();
  slot->close = true;
  queue_.push_back(slot);
  const RequestInfo info{http::verb::unknown, "-", "-", 11, Clock::now(), {}};
  complete(slot, info, kUnmatchedRoute, error_reply(status, code, message));
}

void Session::handle(http::request<http::string_body>&& request) {
  RequestInfo info{request.method(), std::string(request.method_string()), std::string(request.target()),
                   request.version(), Clock::now(), browser_headers(request.base())};
  auto slot = std::make_shared<Slot>();
  slot->close = !request.keep_alive() || state_.stopping.load();
  if (slot->close) closing_ = true;
  queue_.push_back(slot);

  if (auto special = special_form_reply(info.method, info.target)) {
    complete(slot, info, kUnmatchedRoute, std::move(*special));
    return;
  }
  const std::optional<std::string> origin = origin_form(info.target);  // absolute-form: its path and query
  Resolution resolution = resolve(info.method, origin ? *origin : info.target);
  if (info.method == http::verb::options) {  // CORS preflight, or a plain OPTIONS (cors.hpp)
    Reply reply = resolution.route_label == kUnmatchedRoute
                      ? std::get<Reply>(std::move(resolution.outcome))
                      : options_reply(state_.config.browser.cors, info.browser.origin,
                                      info.browser.access_control_request_headers);
    complete(slot, info, resolution.route_label, std::move(reply));
    return;
  }
  if (auto* reply = std::get_if<Reply>(&resolution.outcome)) {
    complete(slot, info, resolution.route_label, std::move(*reply));
    return;
  }
  auto& resolved = std::get<ResolvedRequest>(resolution.outcome);
  if (state_.config.auth.guards(resolved.route->pattern)) {
    const auto authorization = request.find(http::field::authorization);
    const bool presented = authorization != request.end();
    if (!presented || !state_.config.auth.admits(std::string_view(authorization->value().data(),
                                                                  authorization->value().size()))) {
      complete(slot, info, resolution.route_label, unauthorized(presented));
      return;
    }
  }
  const Clock::time_point deadline = info.start + state_.config.pool.acquire_timeout;
  if (!resolved.route->uses_db) {
    complete(slot, info, resolution.route_label, run(resolved, state_.services, deadline));
    return;
  }
  if (resolved.route->plan) {
    Plan planned = plan(resolved, state_.services, deadline);
    if (auto* reply = std::get_if<Reply>(&planned)) {
      complete(slot, info, resolution.route_label, std::move(*reply));
      return;
    }
    run_query(slot, std::move(info), resolution.route_label, std::move(resolved), std::get<DbQuery>(std::move(planned)),
              deadline);
    return;
  }
  run_on_workers(slot, std::move(info), resolution.route_label, std::move(resolved), deadline);
}

void Session::run_query(const std::shared_ptr<Slot>& slot, RequestInfo info, std::string_view route,
                        ResolvedRequest resolved, DbQuery query, Clock::time_point deadline) {
  // Asked first, so that the request is moved into the callback only when the pipeline takes it
  // (ready_for and submit run back to back on this thread: nothing changes in between).
  if (pipeline_ && pipeline_->ready_for(query.call)) {
    Call call = query.call;
    const bool taken = pipeline_->submit(
        std::move(call), [self = shared_from_this(), slot, info = std::move(info), route, resolved = std::move(resolved),
                          query = std::move(query), deadline](QueryOutcome&& outcome) mutable {
          // On this session's thread, but outside its strand: continue in the strand.
          net::dispatch(self->stream_.get_executor(),
                        [self, slot = std::move(slot), info = std::move(info), route, resolved = std::move(resolved),
                         query = std::move(query), deadline, outcome = std::move(outcome)]() mutable {
                          self->on_pipelined(slot, info, route, std::move(resolved), query, deadline,
                                             std::move(outcome));
                        });
        });
    assert(taken);
    (void)taken;
    return;
  }
  // While the request waits for a connection, a timer answers 503 at the deadline; whichever of
  // the two claims the request first answers it. The timer is armed only when the wait starts.
  if (auto idle = state_.pool.try_acquire_idle()) {
    on_lease(slot, std::move(info), route, std::move(resolved), std::move(query), deadline, std::move(idle));
    return;
  }
  auto claimed = std::make_shared<std::atomic<bool>>(false);
  auto timer = std::make_shared<net::steady_timer>(stream_.get_executor());
  Pool::AsyncWaiter waiter{
      claimed, [self = shared_from_this(), slot, info, route, resolved, query, deadline,
                timer](std::optional<Pool::Lease> lease) mutable {
        // Called by whichever thread released the connection: continue on this session's strand.
        net::post(self->stream_.get_executor(), [self, slot, info = std::move(info), route, resolved = std::move(resolved),
                                                 query = std::move(query), deadline, timer,
                                                 lease = std::move(lease)]() mutable {
          timer->cancel();
          self->on_lease(slot, std::move(info), route, std::move(resolved), std::move(query), deadline,
                         std::move(lease));
        });
      }};
  auto acquired = state_.pool.acquire_async(std::move(waiter));
  switch (acquired.status) {
    case Pool::AsyncAcquire::got:
      on_lease(slot, std::move(info), route, std::move(resolved), std::move(query), deadline, std::move(acquired.lease));
      return;
    case Pool::AsyncAcquire::use_blocking_acquire:
      run_on_workers(slot, std::move(info), route, std::move(resolved), deadline);
      return;
    case Pool::AsyncAcquire::queued:
      timer->expires_at(deadline);
      timer->async_wait([self = shared_from_this(), slot, info = std::move(info), route, claimed](beast::error_code ec) {
        if (ec || claimed->exchange(true)) return;
        self->state_.pool.count_acquire_timeout();
        self->complete(slot, info, route,
                       service_unavailable(ErrorCode::pool_exhausted, "all database connections are busy; retry shortly",
                                           kRetryAfterPoolBusy));
      });
      return;
  }
}

void Session::on_pipelined(const std::shared_ptr<Slot>& slot, const RequestInfo& info, std::string_view route,
                           ResolvedRequest resolved, const DbQuery& query, Clock::time_point deadline,
                           QueryOutcome outcome) {
  if (outcome.error) {
    state_.pool.count_query_error();
    // The pipelined connection broke (a database restart or shutdown, connection_lost.hpp), or a
    // hot standby cancelled the query for its replay (recovery_conflict.hpp): Pool::run on the
    // workers runs it again.
    const bool conflict = is_recovery_conflict(outcome.error->sqlstate());
    if (conflict) state_.pool.count_recovery_conflict();
    if (conflict || is_connection_lost(outcome.error->sqlstate())) {
      run_on_workers(slot, info, route, std::move(resolved), deadline);
      return;
    }
  }
  Reply reply = outcome.error ? db_error_reply(*outcome.error, route) : answer(query, outcome.result, route);
  complete(slot, info, route, std::move(reply));
}

void Session::on_lease(const std::shared_ptr<Slot>& slot, RequestInfo info, std::string_view route,
                       ResolvedRequest resolved, DbQuery query, Clock::time_point deadline,
                       std::optional<Pool::Lease> lease) {
  // No connection came (one has to be opened), or this one has not prepared the statement yet
  // (preparing is a blocking round trip, once per connection): the workers do it.
  if (!lease || !(*lease)->is_prepared(query.call.statement->name)) {
    lease.reset();
    run_on_workers(slot, std::move(info), route, std::move(resolved), deadline);
    return;
  }
  const Call call = query.call;
  async_query(std::move(*lease), call, stream_.get_executor(),
              [self = shared_from_this(), slot, info = std::move(info), route, resolved = std::move(resolved),
               query = std::move(query), deadline](QueryOutcome&& outcome, Pool::Lease&& used) mutable {
                Pool::Lease held = std::move(used);
                if (outcome.error) {
                  self->state_.pool.count_query_error();
                  const bool conflict = is_recovery_conflict(outcome.error->sqlstate());
                  if (conflict) self->state_.pool.count_recovery_conflict();
                  if (!held->ok() || conflict || is_connection_lost(outcome.error->sqlstate())) {
                    // The connection broke under the query (a database restart or shutdown), or a
                    // hot standby cancelled it for its replay: Pool::run on the workers runs it again.
                    { const Pool::Lease dropped = std::move(held); }
                    self->run_on_workers(slot, std::move(info), route, std::move(resolved), deadline);
                    return;
                  }
                }
                { const Pool::Lease released = std::move(held); }  // free before the answer is built
                Reply reply = outcome.error ? db_error_reply(*outcome.error, route) : answer(query, outcome.result, route);
                self->complete(slot, info, route, std::move(reply));
              });
}

void Session::run_on_workers(const std::shared_ptr<Slot>& slot, RequestInfo info, std::string_view route,
                             ResolvedRequest resolved, Clock::time_point deadline) {
  // Blocking database work goes to the workers; the work guard keeps the I/O loop alive until
  // the reply is back on this strand (even during shutdown). If no worker has picked the job up
  // by the deadline (all connections busy), a timer answers 503 right then and the job is skipped.
  auto claimed = std::make_shared<std::atomic<bool>>(false);
  auto timer = std::make_shared<net::steady_timer>(stream_.get_executor(), deadline);
  timer->async_wait([self = shared_from_this(), slot, info, label = route, claimed, timer](beast::error_code ec) {
    if (ec || claimed->exchange(true)) return;
    self->state_.pool.job_started();
    self->state_.pool.count_acquire_timeout();
    self->complete(slot, info, label,
                   service_unavailable(ErrorCode::pool_exhausted, "all database connections are busy; retry shortly",
                                       kRetryAfterPoolBusy));
  });
  state_.pool.job_queued();
  net::post(state_.workers, [self = shared_from_this(), slot, info = std::move(info), label = route,
                             resolved = std::move(resolved), deadline, claimed, timer,
                             work = net::make_work_guard(stream_.get_executor())]() mutable {
    if (claimed->exchange(true)) return;  // the timer has answered already
    self->state_.pool.job_started();
    Reply reply = run(resolved, self->state_.services, deadline);
    auto executor = self->stream_.get_executor();
    net::post(executor, [self = std::move(self), slot = std::move(slot), info = std::move(info), label,
                         reply = std::move(reply), timer = std::move(timer), work = std::move(work)]() mutable {
      timer->cancel();
      self->complete(slot, info, label, std::move(reply));
    });
  });
}

void Session::complete(const std::shared_ptr<Slot>& slot, const RequestInfo& info, std::string_view route,
                       Reply reply) {
  finish_for_browsers(reply, route, info.browser, state_.config.browser);
  const std::size_t body_bytes = reply.body.size();
  std::string response =
      response_text(reply, ResponseFraming{info.version, !slot->close, info.method == http::verb::head});

  const auto elapsed = std::chrono::duration<double>(Clock::now() - info.start);
  const auto status = static_cast<unsigned>(reply.status);
  state_.metrics.observe(route, status, elapsed);
  state_.access_log.write(remote_, info.method_text, info.target, info.version, status,
                          info.method == http::verb::head ? 0 : body_bytes, elapsed);
  slot->response = std::move(response);
  maybe_write();
}

void Session::maybe_write() {
  if (writing_ || closed_ || queue_.empty() || !queue_.front()->response) return;
  writing_ = true;
  stream_.expires_after(state_.config.read_timeout);
  net::async_write(stream_, net::buffer(*queue_.front()->response),
                   beast::bind_front_handler(&Session::on_write, shared_from_this()));
}

void Session::on_write(beast::error_code ec, std::size_t /*bytes*/) {
  writing_ = false;
  if (closed_) return;
  if (ec) {
    do_close();
    return;
  }
  const bool close = queue_.front()->close;
  queue_.pop_front();
  if (close) {
    do_close();
    return;
  }
  maybe_write();
  if (reading_ && queue_.empty()) arm_read_timer();  // idle again: the read deadline starts now
  do_read();  // resumes reading when the pipeline had been full
  finish_if_idle();
}

// Once no more requests are to be read, close as soon as every response is out (a read still
// pending, possible only at shutdown, is aborted by the close).
void Session::finish_if_idle() {
  if (closing_ && !writing_ && queue_.empty()) do_close();
}

void Session::do_close() {
  if (closed_) return;
  closed_ = true;
  disarm_read_timer();
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

}  // namespace ge::server
