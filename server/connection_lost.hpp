#pragma once
// SQLSTATEs that say the connection, not the statement, failed: class 08 (connection exception,
// and the 08006 the pool and the pipeline give a connection that broke), 57P01 admin_shutdown
// (a fast shutdown, as when a standby is stopped), 57P02 crash_shutdown and 57P03
// cannot_connect_now (starting up or shutting down). evserve's statements are single read-only
// SELECTs, so the same statement run on a fresh connection (another host of a multi-host
// string, or the same server once it is back) can succeed: Pool::run and the session retry it.
#include <string_view>

namespace ge::server {

inline bool is_connection_lost(std::string_view sqlstate) noexcept {
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

}  // namespace ge::server
