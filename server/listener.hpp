#pragma once
// Accepts connections and starts a Session for each, on a strand of its own, dealing them
// round-robin over the I/O threads' io_contexts.
//
// Connections are capped (config.max_connections): a new connection beyond the cap makes the
// connection idle the longest close (an idle keep-alive or a request that is still trickling
// in), so floods of idle or slow connections cannot lock good clients out; when none is idle
// the new connection is closed at once. When accept() itself fails for want of descriptors or
// memory (EMFILE, ENFILE, ENOBUFS, ENOMEM), the listener closes a few idle connections and
// pauses briefly before it accepts again: the pending connection keeps the socket readable, so
// retrying at once would spin.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "server/query_pipeline.hpp"
#include "server/server_state.hpp"

namespace ge::server {

// An I/O thread's io_context, and its query pipeline (nullptr: none) for the sessions on it.
struct SessionContext {
  boost::asio::io_context* context;
  std::shared_ptr<QueryPipeline> pipeline;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens; throws boost::system::system_error when it cannot.
  Listener(boost::asio::io_context& ioc, std::vector<SessionContext> session_contexts,
           const boost::asio::ip::tcp::endpoint& endpoint, ServerState& state);
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void start();
  void stop();  // thread-safe

 private:
  void do_accept();
  // home: the index in session_contexts_ of the io_context the socket was accepted onto.
  void on_accept(std::size_t home, boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  // accept() failed for want of resources: free some, and accept again after a pause.
  void pause_after(boost::system::error_code ec);
  // Below the cap.
  bool has_room();
  // The cap is reached: make room by evicting idle connections; false when none is idle.
  bool make_room();

  std::vector<SessionContext> session_contexts_;
  std::size_t next_context_ = 0;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer pause_timer_;
  ServerState& state_;
  // Connections evicted ahead for newcomers still to come: at the cap the registry is scanned
  // once per batch, not once per accept (a flood of newcomers would make it quadratic).
  std::size_t room_ = 0;
  // Since when the connections are a whole batch past the cap (do_accept waits for them to close).
  std::chrono::steady_clock::time_point overshoot_since_{};
  // Rate limit of the "accept failed" log line (one a second, with the count since).
  std::chrono::steady_clock::time_point last_log_{};
  std::uint64_t unlogged_failures_ = 0;
};

}  // namespace ge::server
