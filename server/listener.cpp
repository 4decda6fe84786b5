#include "server/listener.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include <iostream>

#include "server/session.hpp"

namespace ge::server {

namespace net = boost::asio;

Listener::Listener(net::io_context& ioc, std::vector<net::io_context*> session_contexts,
                   const net::ip::tcp::endpoint& endpoint, ServerState& state)
    : session_contexts_(std::move(session_contexts)), acceptor_(net::make_strand(ioc)), state_(state) {
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
  });
}

void Listener::do_accept() {
  net::io_context& context = *session_contexts_[next_context_];
  next_context_ = (next_context_ + 1) % session_contexts_.size();
  acceptor_.async_accept(net::make_strand(context),
                         boost::beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(boost::system::error_code ec, net::ip::tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;  // stopped
  if (ec) {
    std::cerr << "evserve: accept: " << ec.message() << '\n';  // e.g. out of descriptors; keep going
  } else if (state_.stopping.load()) {
    return;
  } else {
    boost::system::error_code ignored;
    socket.set_option(net::ip::tcp::no_delay(true), ignored);
    auto session = std::make_shared<Session>(std::move(socket), state_);
    state_.add_session(session.get(), session);
    session->start();
  }
  do_accept();
}

}  // namespace ge::server
