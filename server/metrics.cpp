#include "server/metrics.hpp"

#include <charconv>

#include "common/version.hpp"
#include "server/pool.hpp"

namespace ge::server {
namespace {

std::string number(double value) {
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::general);
  return std::string(buffer.data(), result.ptr);
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  metric_header(out, name, type, help);
}

template <class T>
void sample(std::string& out, std::string_view name, T value) {
  metric_sample(out, name, std::to_string(value));
}

}  // namespace

void metric_header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void metric_sample(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(" ").append(value).append("\n");
}

std::string seconds_text(double seconds) {
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), seconds, std::chars_format::fixed, 3);
  return std::string(buffer.data(), result.ptr);
}

std::string label_value(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void Metrics::observe(std::string_view route, unsigned status, std::chrono::duration<double> elapsed) {
  const double seconds = elapsed.count();
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  const std::lock_guard lock(mutex_);
  auto it = series_.find(route);
  if (it == series_.end()) it = series_.emplace(std::string(route), std::map<unsigned, Series>{}).first;
  Series& s = it->second[status];
  if (bucket < kBuckets.size()) ++s.buckets[bucket];
  ++s.count;
  s.sum += seconds;
}

std::string Metrics::render(const PoolStats& pool) const {
  std::string out;
  out.reserve(4096);
  {
    const std::lock_guard lock(mutex_);
    header(out, "evserve_http_requests_total", "counter", "HTTP requests answered, by route and status.");
    for (const auto& [route, by_status] : series_) {
      for (const auto& [status, s] : by_status) {
        out.append("evserve_http_requests_total{route=\"").append(label_value(route));
        out.append("\",status=\"").append(std::to_string(status)).append("\"} ");
        out.append(std::to_string(s.count)).append("\n");
      }
    }
    header(out, "evserve_http_request_duration_seconds", "histogram",
           "Time from a complete request to its response being ready, by route and status.");
    for (const auto& [route, by_status] : series_) {
      for (const auto& [status, s] : by_status) {
        const std::string labels = "route=\"" + label_value(route) + "\",status=\"" + std::to_string(status) + "\"";
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
          cumulative += s.buckets[i];
          out.append("evserve_http_request_duration_seconds_bucket{").append(labels);
          out.append(",le=\"").append(number(kBuckets[i])).append("\"} ").append(std::to_string(cumulative));
          out.append("\n");
        }
        out.append("evserve_http_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ");
        out.append(std::to_string(s.count)).append("\n");
        out.append("evserve_http_request_duration_seconds_sum{").append(labels).append("} ");
        out.append(number(s.sum)).append("\n");
        out.append("evserve_http_request_duration_seconds_count{").append(labels).append("} ");
        out.append(std::to_string(s.count)).append("\n");
      }
    }
  }
  header(out, "evserve_http_connections_active", "gauge", "Open client connections.");
  sample(out, "evserve_http_connections_active", connections_.load(std::memory_order_relaxed));
  header(out, "evserve_http_connections_evicted_total", "counter",
         "Idle connections closed to make room at the connection cap.");
  sample(out, "evserve_http_connections_evicted_total", evicted_.load(std::memory_order_relaxed));
  header(out, "evserve_http_connections_shed_total", "counter",
         "New connections closed at once: at the cap with no idle connection to close.");
  sample(out, "evserve_http_connections_shed_total", shed_.load(std::memory_order_relaxed));
  header(out, "evserve_http_accept_errors_total", "counter",
         "Failed accepts (e.g. out of file descriptors); the listener pauses briefly after each.");
  sample(out, "evserve_http_accept_errors_total", accept_errors_.load(std::memory_order_relaxed));
  header(out, "evserve_db_pool_size", "gauge", "Maximum number of database connections.");
  sample(out, "evserve_db_pool_size", pool.size);
  header(out, "evserve_db_pool_open", "gauge", "Database connections open (idle or in use).");
  sample(out, "evserve_db_pool_open", pool.open);
  header(out, "evserve_db_pool_in_use", "gauge", "Database connections lent to a request.");
  sample(out, "evserve_db_pool_in_use", pool.in_use);
  header(out, "evserve_db_pool_waiting", "gauge", "Requests waiting for a database connection.");
  sample(out, "evserve_db_pool_waiting", pool.waiting);
  header(out, "evserve_db_pipelines_connected", "gauge",
         "I/O threads holding a pipelined database connection (counted in evserve_db_pool_in_use).");
  sample(out, "evserve_db_pipelines_connected", pipelines_connected_.load(std::memory_order_relaxed));
  header(out, "evserve_db_pipeline_in_flight", "gauge", "Queries sent or queued on the pipelined connections.");
  sample(out, "evserve_db_pipeline_in_flight", pipeline_in_flight_.load(std::memory_order_relaxed));
  header(out, "evserve_db_pipeline_queries_total", "counter", "Queries sent on the pipelined connections.");
  sample(out, "evserve_db_pipeline_queries_total", pipeline_queries_.load(std::memory_order_relaxed));
  header(out, "evserve_db_pipeline_batches_total", "counter",
         "Writes to PostgreSQL on the pipelined connections (queries / batches = queries per write).");
  sample(out, "evserve_db_pipeline_batches_total", pipeline_batches_.load(std::memory_order_relaxed));
  header(out, "evserve_db_pool_acquire_timeouts_total", "counter",
         "Requests that got no database connection within the acquire timeout.");
  sample(out, "evserve_db_pool_acquire_timeouts_total", pool.acquire_timeouts);
  header(out, "evserve_db_errors_total", "counter", "Failed database statements and connection attempts.");
  sample(out, "evserve_db_errors_total", pool.query_errors + pool.connect_failures);
  header(out, "evserve_db_connect_failures_total", "counter", "Failed attempts to open or reset a connection.");
  sample(out, "evserve_db_connect_failures_total", pool.connect_failures);
  header(out, "evserve_db_connection_resets_total", "counter", "Broken connections reset with PQreset.");
  sample(out, "evserve_db_connection_resets_total", pool.resets);
  header(out, "evserve_build_info", "gauge", "Always 1; the version label is the build's (evserve --version).");
  out.append("evserve_build_info{version=\"").append(label_value(kVersion)).append("\"} 1\n");
  header(out, "evserve_db_recovery_conflicts_total", "counter",
         "Queries a hot standby cancelled for its replay (SQLSTATE 40001/40P01), each retried after a short pause.");
  sample(out, "evserve_db_recovery_conflicts_total", pool.recovery_conflicts);
  header(out, "evserve_db_pool_recycles_total", "counter",
         "Times the pool let its connections go because the connection string now leads to another server.");
  sample(out, "evserve_db_pool_recycles_total", pool.recycles);
  return out;
}

}  // namespace ge::server
