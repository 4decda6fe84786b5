#pragma once
// Prometheus text exposition (version 0.0.4) of the server's counters: requests and a latency
// histogram per route and status, the database pool's gauges, the query pipelines' and the database
// error counters.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace ge::server {

struct PoolStats;

class Metrics {
 public:
  static constexpr std::array<double, 14> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                   0.1,    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

  // route: the route's template ("/v1/users/{user_id}/stats") or "unmatched".
  void observe(std::string_view route, unsigned status, std::chrono::duration<double> elapsed);
  void connection_opened() noexcept { connections_.fetch_add(1, std::memory_order_relaxed); }
  void connection_closed() noexcept { connections_.fetch_sub(1, std::memory_order_relaxed); }
  // At the connection cap: an idle connection closed to make room, or a new one refused.
  void connection_evicted() noexcept { evicted_.fetch_add(1, std::memory_order_relaxed); }
  void connection_shed() noexcept { shed_.fetch_add(1, std::memory_order_relaxed); }
  // accept() failed (out of descriptors, …); the listener paused and went on.
  void accept_failed() noexcept { accept_errors_.fetch_add(1, std::memory_order_relaxed); }
  // Query pipelines (query_pipeline.hpp): a connection taken or given back, queries entering and
  // leaving, and one write to PostgreSQL carrying `queries` of them.
  void pipeline_connected(bool up) noexcept { pipelines_connected_.fetch_add(up ? 1 : -1, std::memory_order_relaxed); }
  void pipeline_queued(std::int64_t change) noexcept {
    pipeline_in_flight_.fetch_add(change, std::memory_order_relaxed);
  }
  void pipeline_batch(std::uint64_t queries) noexcept {
    pipeline_batches_.fetch_add(1, std::memory_order_relaxed);
    pipeline_queries_.fetch_add(queries, std::memory_order_relaxed);
  }

  std::string render(const PoolStats& pool) const;

 private:
  struct Series {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // non-cumulative counts
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::string, std::map<unsigned, Series>, std::less<>> series_;  // route → status → series
  std::atomic<std::int64_t> connections_{0};
  std::atomic<std::uint64_t> evicted_{0};
  std::atomic<std::uint64_t> shed_{0};
  std::atomic<std::uint64_t> accept_errors_{0};
  std::atomic<std::int64_t> pipelines_connected_{0};
  std::atomic<std::int64_t> pipeline_in_flight_{0};
  std::atomic<std::uint64_t> pipeline_batches_{0};
  std::atomic<std::uint64_t> pipeline_queries_{0};
};

// Pieces of the Prometheus text, for /metrics and the replica monitor's part of it
// (ReplicaMonitor::render_metrics).
// A label value: backslash, double quote and newline escaped (text format 0.0.4).
std::string label_value(std::string_view text);
// The # HELP and # TYPE lines of a metric.
void metric_header(std::string& out, std::string_view name, std::string_view type, std::string_view help);
// A metric's line without labels: "name value".
void metric_sample(std::string& out, std::string_view name, std::string_view value);
// Seconds to the millisecond ("0.250"), for gauges that measure time.
std::string seconds_text(double seconds);

}  // namespace ge::server
