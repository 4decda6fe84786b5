#include "server/listen_address.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <cerrno>

namespace ge::server {

namespace net = boost::asio;

std::vector<net::ip::tcp::endpoint> listen_endpoints(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (!ec) return {net::ip::tcp::endpoint(address, port)};
  if (host.empty()) throw StartupError("--listen is empty: give an address (0.0.0.0, 127.0.0.1, ::) or a host name");
  net::io_context ioc;
  net::ip::tcp::resolver resolver(ioc);
  const auto results = resolver.resolve(host, std::to_string(port), net::ip::resolver_base::passive, ec);
  std::vector<net::ip::tcp::endpoint> out;
  if (!ec) {
    for (const auto& entry : results) {
      if (std::find(out.begin(), out.end(), entry.endpoint()) == out.end()) out.push_back(entry.endpoint());
    }
  }
  if (out.empty()) {
    throw StartupError("cannot listen on '" + host + "': no such host (give an address such as 127.0.0.1, or a " +
                       "name the resolver knows)");
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.address().is_v4() && !b.address().is_v4(); });
  return out;
}

std::string listen_failure(const net::ip::tcp::endpoint& endpoint, const boost::system::error_code& ec) {
  std::string where = endpoint.address().to_string();
  if (endpoint.address().is_v6()) where = '[' + where + ']';
  where += ':' + std::to_string(endpoint.port());
  std::string why;
  if (ec == net::error::address_in_use) {
    why = "the port is in use by another program (stop it, or choose another with --port)";
  } else if (ec == net::error::access_denied) {
    why = "permission denied (ports below 1024 need privileges; choose another with --port)";
  } else if (ec.category() == boost::system::system_category() && ec.value() == EADDRNOTAVAIL) {
    why = "this machine has no such address (--listen must name one of its own addresses)";
  } else if (ec == net::error::address_family_not_supported) {
    why = "this machine does not support that address family";
  } else {
    why = ec.message();
  }
  return "cannot listen on " + where + ": " + why;
}

}  // namespace ge::server
