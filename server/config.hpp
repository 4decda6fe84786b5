#pragma once
// Every setting of evserve; main.cpp fills it from flags and environment.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "server/auth.hpp"
#include "server/browser_http.hpp"
#include "server/pool.hpp"

namespace ge::server {

struct ServerConfig {
  std::string listen = "0.0.0.0";
  std::uint16_t port = 8086;                      // 0: any free port (the chosen one is logged)
  unsigned threads = 1;                           // I/O threads
  PoolOptions pool;                               // the database workers are as many as pool.size
  std::chrono::milliseconds read_timeout{30000};  // per request, and idle keep-alive
  bool access_log = false;
  std::size_t header_limit = 8 * 1024;  // bytes of request line + headers
  std::size_t body_limit = 16 * 1024;   // requests carry no body; tolerate a small one
  std::size_t pipeline_limit = 8;       // requests read ahead of their responses
  // Statistics queries in flight at most on an I/O thread's pipelined database connection
  // (query_pipeline.hpp); 0: no pipelining. Up to pool.size / 2 I/O threads get one.
  std::size_t query_pipeline_depth = 1024;
  // Open client connections; beyond it the connection idle the longest is closed (listener.hpp).
  // main.cpp defaults it to what the descriptor limit allows (descriptor_budget.hpp).
  std::size_t max_connections = 10000;
  std::chrono::milliseconds shutdown_grace{10000};
  BearerAuth auth;             // no tokens: every route open (auth.hpp)
  BrowserHttpOptions browser;  // CORS and gzip (browser_http.hpp)
  // The replica monitor (replica_status.hpp): how often it checks the database server, and the
  // replay lag above which /readyz fails on a standby (0: no limit).
  std::chrono::milliseconds replica_check_interval{1000};
  std::chrono::milliseconds max_replica_lag{0};
};

}  // namespace ge::server
