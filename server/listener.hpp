#pragma once
// Accepts connections and starts a Session for each, on a strand of its own, dealing them
// round-robin over the I/O threads' io_contexts.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <vector>

#include "server/server_state.hpp"

namespace ge::server {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens; throws boost::system::system_error when it cannot.
  Listener(boost::asio::io_context& ioc, std::vector<boost::asio::io_context*> session_contexts,
           const boost::asio::ip::tcp::endpoint& endpoint, ServerState& state);
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void start();
  void stop();  // thread-safe

 private:
  void do_accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  std::vector<boost::asio::io_context*> session_contexts_;
  std::size_t next_context_ = 0;
  boost::asio::ip::tcp::acceptor acceptor_;
  ServerState& state_;
};

}  // namespace ge::server
