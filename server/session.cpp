#include "server/session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/version.hpp>

#include "server/browser_http.hpp"
#include "server/http_framing.hpp"
#include "server/log.hpp"
#include "server/request_routing.hpp"
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
    : stream_(std::move(socket)),
      read_timer_(stream_.get_executor()),
      buffer_(kReadBufferLimit),
      state_(state),
      dispatcher_(state, std::move(pipeline)) {
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
    const RequestInfo info{parser_->get().method(),
                           std::string(parser_->get().method_string()),
                           std::string(parser_->get().target()),
                           parser_->get().version(),
                           Clock::now(),
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
           "request line and headers exceed " + std::to_string(state_.config.header_limit) + " bytes",
           rejected_request_headers());
    return;
  }
  if (ec == http::error::body_limit) {
    reject(http::status::payload_too_large, ErrorCode::body_too_large, "request body too large",
           rejected_request_headers());
    return;
  }
  if (ec && is_http_parse_error(ec) && ec != http::error::partial_message) {
    reject(http::status::bad_request, ErrorCode::bad_request, "malformed HTTP request: " + ec.message(),
           rejected_request_headers());
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

BrowserHeaders Session::rejected_request_headers() const {
  BrowserHeaders headers = browser_headers(parser_->get().base());
  if (!parser_->is_header_done() && headers.origin.empty()) {
    const auto bytes = buffer_.data();
    headers.origin = raw_origin_field(std::string_view(static_cast<const char*>(bytes.data()), bytes.size()));
  }
  return headers;
}

// An unparseable request: answer it and close, since the stream can't be trusted any more.
void Session::reject(http::status status, ErrorCode code, std::string_view message, BrowserHeaders browser) {
  closing_ = true;
  auto slot = std::make_shared<Slot>();
  slot->close = true;
  queue_.push_back(slot);
  const RequestInfo info{http::verb::unknown, "-", "-", 11, Clock::now(), std::move(browser)};
  complete(slot, info, kUnmatchedRoute, error_reply(status, code, message));
}

void Session::handle(http::request<http::string_body>&& request) {
  RequestInfo info{
      request.method(), std::string(request.method_string()), std::string(request.target()), request.version(),
      Clock::now(),     browser_headers(request.base())};
  auto slot = std::make_shared<Slot>();
  slot->close = !request.keep_alive() || state_.stopping.load();
  if (slot->close) closing_ = true;
  queue_.push_back(slot);

  std::optional<std::string_view> authorization;
  if (const auto field = request.find(http::field::authorization); field != request.end()) {
    authorization.emplace(field->value().data(), field->value().size());
  }
  Resolution routed = route_request(info.method, info.target, authorization, info.browser, state_.config);
  if (auto* reply = std::get_if<Reply>(&routed.outcome)) {
    complete(slot, info, routed.route_label, std::move(*reply));
    return;
  }
  const Clock::time_point deadline = info.start + state_.config.pool.acquire_timeout;
  dispatcher_.dispatch(std::get<ResolvedRequest>(std::move(routed.outcome)), deadline, stream_.get_executor(),
                       [self = shared_from_this(), slot, info = std::move(info), label = routed.route_label](
                           Reply reply) { self->complete(slot, info, label, std::move(reply)); });
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
  do_read();                                         // resumes reading when the pipeline had been full
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
