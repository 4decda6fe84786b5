#include <catch2/catch.hpp>

#include "server/metrics.hpp"
#include "server/pool.hpp"

using namespace ge::server;

TEST_CASE("metrics render requests, a cumulative histogram and pool gauges", "[metrics]") {
  Metrics m;
  m.observe("/v1/game/stats", 200, std::chrono::microseconds(300));
  m.observe("/v1/game/stats", 200, std::chrono::milliseconds(30));
  m.observe("/v1/game/stats", 400, std::chrono::seconds(20));
  PoolStats pool;
  pool.size = 8;
  pool.in_use = 3;
  pool.waiting = 1;
  pool.query_errors = 2;
  pool.connect_failures = 1;
  const std::string text = m.render(pool);
  const auto has = [&](const std::string& line) {
    INFO(line);
    CHECK(text.find(line + "\n") != std::string::npos);
  };
  has(R"(evserve_http_requests_total{route="/v1/game/stats",status="200"} 2)");
  has(R"(evserve_http_requests_total{route="/v1/game/stats",status="400"} 1)");
  has(R"(evserve_http_request_duration_seconds_bucket{route="/v1/game/stats",status="200",le="0.0005"} 1)");
  has(R"(evserve_http_request_duration_seconds_bucket{route="/v1/game/stats",status="200",le="0.05"} 2)");
  has(R"(evserve_http_request_duration_seconds_bucket{route="/v1/game/stats",status="400",le="10"} 0)");
  has(R"(evserve_http_request_duration_seconds_bucket{route="/v1/game/stats",status="400",le="+Inf"} 1)");
  has(R"(evserve_http_request_duration_seconds_count{route="/v1/game/stats",status="200"} 2)");
  has("# TYPE evserve_http_request_duration_seconds histogram");
  has("evserve_db_pool_size 8");
  has("evserve_db_pool_in_use 3");
  has("evserve_db_pool_waiting 1");
  has("evserve_db_errors_total 3");
}

TEST_CASE("metrics count evicted and refused connections and failed accepts", "[metrics]") {
  Metrics m;
  m.connection_evicted();
  m.connection_evicted();
  m.connection_shed();
  m.accept_failed();
  m.accept_failed();
  m.accept_failed();
  const std::string text = m.render(PoolStats{});
  CHECK(text.find("evserve_http_connections_evicted_total 2\n") != std::string::npos);
  CHECK(text.find("evserve_http_connections_shed_total 1\n") != std::string::npos);
  CHECK(text.find("evserve_http_accept_errors_total 3\n") != std::string::npos);
  CHECK(text.find("# TYPE evserve_http_accept_errors_total counter\n") != std::string::npos);
}
