#include "server/listener.hpp"

#include "server/descriptor_budget.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include <cerrno>
#include <iostream>

#include "server/session.hpp"

namespace ge::server {

namespace net = boost::asio;

namespace {

// How long the listener waits after accept() ran out of descriptors or memory, and how many idle
// connections it closes meanwhile to get descriptors back.
constexpr auto kAcceptPause = std::chrono::milliseconds(10);
constexpr std::size_t kEvictOnExhaustion = 16;
// How long newcomers wait for an eviction batch to close before the next batch is evicted.
constexpr auto kOvershootWait = std::chrono::milliseconds(100);

bool is_resource_exhaustion(const boost::system::error_code& ec) {
  if (ec.category() != boost::system::system_category()) return false;
  const int code = ec.value();
  return code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM;
}

}  // namespace

Listener::Listener(net::io_context& ioc, std::vector<SessionContext> session_contexts,
                   const net::ip::tcp::endpoint& endpoint, ServerState& state)
    : session_contexts_(std::move(session_contexts)),
      acceptor_(net::make_strand(ioc)),
      pause_timer_(acceptor_.get_executor()),
      state_(state) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
}

void Listener::start() {
  net::dispatch(acceptor_.get_executor(), boost::beast::bind_front_handler(&Listener::do_accept, shared_from_this()));
}

void Listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
    self->pause_timer_.cancel();
  });
}

void Listener::do_accept() {
  if (!acceptor_.is_open()) return;
  // Evicted connections close on their own threads, later than the newcomers who took their
  // places arrive: past the cap by a whole batch, newcomers wait in the kernel's backlog until
  // the evicted have gone, rather than take descriptors the budget does not have. A batch whose
  // members got a request meanwhile (and so stay) must not stop accepting for good: after
  // kOvershootWait the next batch is evicted.
  const auto now = std::chrono::steady_clock::now();
  if (state_.session_count() >= state_.config.max_connections + kEvictionBatch) {
    if (overshoot_since_ == std::chrono::steady_clock::time_point{}) overshoot_since_ = now;
    if (now - overshoot_since_ < kOvershootWait) {
      pause_timer_.expires_after(std::chrono::milliseconds(1));
      pause_timer_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
        if (!wait_ec) self->do_accept();
      });
      return;
    }
    room_ = 0;
  }
  overshoot_since_ = {};
  const std::size_t home = next_context_;
  next_context_ = (next_context_ + 1) % session_contexts_.size();
  acceptor_.async_accept(net::make_strand(*session_contexts_[home].context),
                         boost::beast::bind_front_handler(&Listener::on_accept, shared_from_this(), home));
}

void Listener::on_accept(std::size_t home, boost::system::error_code ec, net::ip::tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;  // stopped
  if (ec && is_resource_exhaustion(ec)) {
    pause_after(ec);
    return;
  }
  if (ec) {
    // The peer gave up before we accepted (ECONNABORTED, …): nothing to do but go on.
    state_.metrics.accept_failed();
  } else if (state_.stopping.load()) {
    return;
  } else if (!has_room() && !make_room()) {
    // Every connection is busy answering: refuse this one now rather than let it wait unseen.
    state_.metrics.connection_shed();
    boost::system::error_code ignored;
    socket.close(ignored);
  } else {
    boost::system::error_code ignored;
    socket.set_option(net::ip::tcp::no_delay(true), ignored);
    auto session = std::make_shared<Session>(std::move(socket), state_, session_contexts_[home].pipeline);
    state_.add_session(session.get(), session);
    session->start();
  }
  do_accept();
}

bool Listener::has_room() {
  if (state_.session_count() >= state_.config.max_connections) return false;
  room_ = 0;  // below the cap: whatever was evicted ahead has closed, and its room is taken
  return true;
}

// Evicts a batch and lets the newcomers take the places one by one while the evicted close; so
// the connections may exceed the cap by up to kEvictionBatch for a moment, and up to kEvictionBatch - 1
// idle connections go sooner than strictly needed.
bool Listener::make_room() {
  if (room_ == 0) room_ = state_.evict_idle(kEvictionBatch);
  if (room_ == 0) return false;
  --room_;
  return true;
}

void Listener::pause_after(boost::system::error_code ec) {
  state_.metrics.accept_failed();
  ++unlogged_failures_;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_log_ >= std::chrono::seconds(1)) {
    std::cerr << "evserve: accept: " << ec.message() << " (" << unlogged_failures_ << " times since the last report, "
              << state_.session_count() << " connections open); closing idle connections and pausing\n";
    last_log_ = now;
    unlogged_failures_ = 0;
  }
  state_.evict_idle(kEvictOnExhaustion);
  pause_timer_.expires_after(kAcceptPause);
  pause_timer_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
    if (!wait_ec) self->do_accept();
  });
}

}  // namespace ge::server
