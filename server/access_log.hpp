#pragma once
// One line per request on stdout when enabled:
//   2024-01-02T03:04:05Z 127.0.0.1:53422 "GET /v1/game/stats?date=2010-05-08 HTTP/1.1" 200 187 1.234ms
#include <chrono>
#include <mutex>
#include <string_view>

namespace ge::server {

class AccessLog {
 public:
  explicit AccessLog(bool enabled) : enabled_(enabled) {}
  bool enabled() const noexcept { return enabled_; }
  void write(std::string_view remote, std::string_view method, std::string_view target, unsigned version,
             unsigned status, std::size_t body_bytes, std::chrono::duration<double> elapsed);

 private:
  bool enabled_;
  std::mutex mutex_;
};

}  // namespace ge::server
