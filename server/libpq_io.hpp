#pragma once
// What the two non-blocking ways to PostgreSQL share (async_query.hpp, query_pipeline.hpp):
// libpq's socket handed to the Asio reactor, and a call's parameters as libpq takes them.
#include <boost/asio/generic/stream_protocol.hpp>

#include <array>
#include <cstddef>

#include <libpq-fe.h>

#include "common/db/connection.hpp"
#include "server/statement.hpp"

namespace ge::server {

// The most parameters a statement run without blocking may have.
inline constexpr std::size_t kMaxAsyncParameters = 8;
using ParameterValues = std::array<const char*, kMaxAsyncParameters>;

// The parameters' C strings (nullptr for NULL), valid while `params` lives.
// Precondition: params.size() <= kMaxAsyncParameters.
ParameterValues parameter_values(const SqlParams& params) noexcept;

// Assigns libpq's descriptor to `socket` (which must be released, never closed: the descriptor
// stays libpq's) and returns its address family. Throws db::Error: SQLSTATE 08006 when there is
// no connection, none when the reactor refuses the descriptor.
int watch_libpq_socket(PGconn* pg, boost::asio::generic::stream_protocol::socket& socket);

}  // namespace ge::server
