#pragma once
// The whole server: N I/O threads, the listener, the database workers, and a clean shutdown on
// SIGINT/SIGTERM (stop accepting, finish the requests in flight, close, exit).
#include <boost/asio/ip/tcp.hpp>

#include <memory>

#include "server/config.hpp"

namespace ge::server {

class Server {
 public:
  explicit Server(const ServerConfig& config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds (throws on failure); the endpoint tells the port chosen for port 0.
  boost::asio::ip::tcp::endpoint bind();
  // Serves until SIGINT or SIGTERM (or stop()); returns once everything is drained.
  void run();
  // Starts the same shutdown as a signal. Thread-safe.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ge::server
