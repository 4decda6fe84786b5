#include "server/libpq_io.hpp"

#include <sys/socket.h>

#include "common/db/sqlstate.hpp"

namespace ge::server {

ParameterValues parameter_values(const SqlParams& params) noexcept {
  ParameterValues values{};
  for (std::size_t i = 0; i < params.size() && i < values.size(); ++i) {
    values[i] = params[i] ? params[i]->c_str() : nullptr;
  }
  return values;
}

int watch_libpq_socket(PGconn* pg, boost::asio::generic::stream_protocol::socket& socket) {
  const int fd = PQsocket(pg);
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (fd < 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw db::Error("no connection to PostgreSQL", db::sqlstate::kConnectionFailure);
  }
  boost::system::error_code ec;
  socket.assign(boost::asio::generic::stream_protocol(address.ss_family, 0), fd, ec);
  if (ec) throw db::Error("cannot watch the PostgreSQL connection: " + ec.message());
  return address.ss_family;
}

}  // namespace ge::server
