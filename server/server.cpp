#include "server/server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <thread>
#include <vector>

#include "server/listen_address.hpp"
#include "server/listener.hpp"
#include "server/openapi.hpp"
#include "server/query_pipeline.hpp"
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

std::size_t ServerState::session_count() {
  const std::lock_guard lock(sessions_mutex_);
  return sessions_.size();
}

// A linear scan: it runs only when connections are at the cap, costs microseconds per thousand
// sessions, and needs no bookkeeping on the request path (which another LRU list would).
std::size_t ServerState::evict_idle(std::size_t count) {
  std::vector<std::shared_ptr<Session>> chosen;
  {
    const std::lock_guard lock(sessions_mutex_);
    // (idle since, session) of the `count` oldest, kept sorted, newest last.
    std::vector<std::pair<Clock::rep, Session*>> oldest;
    for (const auto& [key, weak] : sessions_) {
      // A session in its destructor waits for this mutex before its members go: key is valid.
      const Clock::rep since = key->idle_since().load(std::memory_order_relaxed);
      if (since == 0) continue;
      if (oldest.size() == count && since >= oldest.back().first) continue;
      if (oldest.size() == count) oldest.pop_back();
      oldest.insert(std::upper_bound(oldest.begin(), oldest.end(), std::pair{since, key},
                                     [](const auto& a, const auto& b) { return a.first < b.first; }),
                    std::pair{since, key});
    }
    for (auto [since, key] : oldest) {
      // Lost the race to the session's own strand (it got a request): leave it.
      if (!key->idle_since().compare_exchange_strong(since, 0, std::memory_order_relaxed)) continue;
      if (auto session = sessions_.at(key).lock()) chosen.push_back(std::move(session));
    }
  }
  for (const auto& session : chosen) session->evict();
  return chosen.size();
}

// One io_context per I/O thread, each run by its thread alone, connections dealt round-robin:
// a request is then handled start to end by one thread, with no hand-over through a shared
// scheduler (one io_context run by N threads woke a second thread for about every other
// handler: futex and epoll_ctl calls that cost more than a fifth of evserve's CPU per request).
struct Server::Impl {
  explicit Impl(const ServerConfig& config)
      : state(config), ioc(1), control(net::make_strand(ioc)), signals(control), grace_timer(control) {
    const unsigned threads = std::max(1U, config.threads);
    for (unsigned i = 1; i < threads; ++i) extra.push_back(std::make_unique<net::io_context>(1));
    // A pipeline holds its connection for good: half the pool at most, so that the other routes,
    // the retries and the threads without a pipeline still find connections.
    const std::size_t pipelines =
        config.query_pipeline_depth == 0 ? 0 : std::min<std::size_t>(threads, state.pool.options().size / 2);
    const auto contexts = io_contexts();
    for (std::size_t i = 0; i < pipelines; ++i) {
      pipelines_.push_back(std::make_shared<QueryPipeline>(*contexts[i], state.pool, state.workers, state.metrics,
                                                           config.query_pipeline_depth));
    }
  }

  ~Impl() { close_pipelines(); }

  // The io_contexts sessions run on: the main one and the extra ones.
  std::vector<net::io_context*> io_contexts() {
    std::vector<net::io_context*> out{&ioc};
    for (auto& context : extra) out.push_back(context.get());
    return out;
  }
  std::vector<SessionContext> session_contexts() {
    std::vector<SessionContext> out;
    const auto contexts = io_contexts();
    for (std::size_t i = 0; i < contexts.size(); ++i) {
      out.push_back({contexts[i], i < pipelines_.size() ? pipelines_[i] : nullptr});
    }
    return out;
  }

  // Once the io_contexts have stopped (their sockets must go before the io_contexts do).
  void close_pipelines() noexcept {
    for (auto& pipeline : pipelines_) pipeline->close();
  }

  void begin_shutdown() {
    if (state.stopping.exchange(true)) return;
    std::cerr << "evserve: shutting down: finishing requests in flight\n";
    boost::system::error_code ignored;
    signals.cancel(ignored);
    if (listener) listener->stop();
    for (auto& pipeline : pipelines_) pipeline->quiesce();
    grace_timer.expires_after(state.config.shutdown_grace);
    grace_timer.async_wait([this](boost::system::error_code ec) {
      if (ec) return;  // drained in time
      std::cerr << "evserve: shutdown grace period over; closing the remaining connections\n";
      ioc.stop();
      for (auto& context : extra) context->stop();
    });
    const auto sessions = state.live_sessions();
    for (const auto& session : sessions) session->shutdown();
    if (sessions.empty()) drained();
  }

  void drained() {
    net::post(control, [this] {
      grace_timer.cancel();
      for (auto& guard : extra_work) guard.reset();  // the extra threads return once idle
    });
  }

  ServerState state;
  net::io_context ioc;  // also runs the listener, signals and shutdown
  // Declared after state: sessions still queued in them at destruction use it as they go.
  std::vector<std::unique_ptr<net::io_context>> extra;
  std::vector<std::shared_ptr<QueryPipeline>> pipelines_;  // for the first I/O threads
  // Keeps the extra io_contexts running while they have no connection, until drained.
  std::vector<net::executor_work_guard<net::io_context::executor_type>> extra_work;
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
  const auto& config = impl_->state.config;
  std::string failure;
  // A host name may stand for several addresses (localhost: 127.0.0.1 and ::1): the first that
  // binds serves.
  for (const auto& endpoint : listen_endpoints(config.listen, config.port)) {
    try {
      impl_->listener = std::make_shared<Listener>(impl_->ioc, impl_->session_contexts(), endpoint, impl_->state);
      return impl_->listener->local_endpoint();
    } catch (const boost::system::system_error& error) {
      if (failure.empty()) failure = listen_failure(endpoint, error.code());
    }
  }
  throw StartupError(failure);
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
  impl.state.replica.start();
  impl.listener->start();

  std::vector<std::thread> pool;
  pool.reserve(impl.extra.size());
  for (auto& context : impl.extra) {
    impl.extra_work.push_back(net::make_work_guard(*context));
    pool.emplace_back([context = context.get()] { context->run(); });
  }
  impl.ioc.run();
  for (auto& guard : impl.extra_work) guard.reset();
  for (auto& thread : pool) thread.join();
  // All sessions are gone (or the grace period ran out); no more database work can arrive.
  impl.state.workers.join();
  impl.state.replica.stop();
  impl.close_pipelines();
  impl.state.on_drained = nullptr;       // sessions still queued in the stopped io_context die with it
  impl.state.pool.drop_async_waiters();  // … and those waiting for a connection die now
}

}  // namespace ge::server
