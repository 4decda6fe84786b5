#pragma once
// Where evserve listens: --listen names an address or a host name (resolved, "localhost" too),
// and a failure to listen is told as one sentence a person can act on, not as an Asio exception
// (whose text carries Boost's source paths).
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace ge::server {

// A start-up failure with a message fit for the operator as it is.
class StartupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The endpoints `host` stands for, numeric addresses first-hand, host names through the
// resolver (IPv4 before IPv6). Throws StartupError when there is none.
std::vector<boost::asio::ip::tcp::endpoint> listen_endpoints(const std::string& host, std::uint16_t port);

// "cannot listen on 127.0.0.1:8086: the port is in use by another program (choose another with
// --port)": why binding `endpoint` failed, in words.
std::string listen_failure(const boost::asio::ip::tcp::endpoint& endpoint, const boost::system::error_code& ec);

}  // namespace ge::server
