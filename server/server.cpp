#include "server/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <csignal>
#include <iostream>
#include <thread>
#include <vector>

#include "server/listener.hpp"
#include "server/openapi.hpp"
#include "server/session.hpp"

namespace ge::server {

namespace net = boost::asio;

void ServerState::add_session(Session* key, std::weak_ptr<Session> session) {
  const std::lock_guard lock(sessions_mutex_);
  sessions_.emplace(key, std::move(session));
}

void ServerState::remove_session(Session* key) {
  bool drained = false;
  {
    const std::lock_guard lock(sessions_mutex_);
    sessions_.erase(key);
    drained = sessions_.empty() && stopping.load();
  }
  if (drained && on_drained) on_drained();
}

std::vector<std::shared_ptr<Session>> ServerState::live_sessions() {
  std::vector<std::shared_ptr<Session>> out;
  const std::lock_guard lock(sessions_mutex_);
  for (const auto& [key, weak] : sessions_) {
    if (auto session = weak.lock()) out.push_back(std::move(session));
  }
  return out;
}

struct Server::Impl {
  explicit Impl(const ServerConfig& config)
      : state(config), ioc(static_cast<int>(config.threads)), control(net::make_strand(ioc)), signals(control),
        grace_timer(control) {}

  void begin_shutdown() {
    if (state.stopping.exchange(true)) return;
    std::cerr << "evserve: shutting down: finishing requests in flight\n";
    boost::system::error_code ignored;
    signals.cancel(ignored);
    if (listener) listener->stop();
    grace_timer.expires_after(state.config.shutdown_grace);
    grace_timer.async_wait([this](boost::system::error_code ec) {
      if (ec) return;  // drained in time
      std::cerr << "evserve: shutdown grace period over; closing the remaining connections\n";
      ioc.stop();
    });
    const auto sessions = state.live_sessions();
    for (const auto& session : sessions) session->shutdown();
    if (sessions.empty()) drained();
  }

  void drained() {
    net::post(control, [this] { grace_timer.cancel(); });
  }

  ServerState state;
  net::io_context ioc;
  net::strand<net::io_context::executor_type> control;
  net::signal_set signals;
  net::steady_timer grace_timer;
  std::shared_ptr<Listener> listener;
};

Server::Server(const ServerConfig& config) : impl_(std::make_unique<Impl>(config)) {
  (void)openapi_text();  // a broken document fails at startup, not on the first request
  impl_->state.on_drained = [impl = impl_.get()] { impl->drained(); };
}

Server::~Server() = default;

net::ip::tcp::endpoint Server::bind() {
  const auto address = net::ip::make_address(impl_->state.config.listen);
  impl_->listener =
      std::make_shared<Listener>(impl_->ioc, net::ip::tcp::endpoint(address, impl_->state.config.port), impl_->state);
  return impl_->listener->local_endpoint();
}

void Server::stop() {
  net::post(impl_->control, [impl = impl_.get()] { impl->begin_shutdown(); });
}

void Server::run() {
  Impl& impl = *impl_;
  if (!impl.listener) bind();
  impl.signals.add(SIGINT);
  impl.signals.add(SIGTERM);
  impl.signals.async_wait([&impl](boost::system::error_code ec, int /*signal*/) {
    if (!ec) impl.begin_shutdown();
  });
  impl.listener->start();

  const unsigned threads = impl.state.config.threads == 0 ? 1 : impl.state.config.threads;
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (auto& thread : pool) thread.join();
  // All sessions are gone (or the grace period ran out); no more database work can arrive.
  impl.state.workers.join();
  impl.state.on_drained = nullptr;  // sessions still queued in the stopped io_context die with it
  impl.state.pool.drop_async_waiters();  // … and those waiting for a connection die now
}

}  // namespace ge::server
