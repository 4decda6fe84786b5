#pragma once
// evserve's diagnostic lines on stderr: every line scrubbed of the connection string's secrets
// (common/db/conninfo.hpp), and an identical line repeated within a window printed once, its
// repeats counted into the next copy: "… (repeated 41 times in the last 10s)". A database that
// is down then costs the log a line per window, not a line per request.
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/db/conninfo.hpp"

namespace ge::server {

class LogLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LogLimiter(std::chrono::seconds window = std::chrono::seconds(10), std::size_t max_lines = 256)
      : window_(window), max_lines_(max_lines) {}

  // The text to print for `line` at `now`, or nullopt while it is held back as a repeat.
  std::optional<std::string> admit(std::string_view line, Clock::time_point now);

 private:
  struct Seen {
    Clock::time_point printed_at;
    std::size_t repeats = 0;  // held back since printed_at
  };
  std::chrono::seconds window_;
  std::size_t max_lines_;
  std::unordered_map<std::string, Seen> seen_;
};

// The connection string whose secrets every line is scrubbed of (main.cpp, once, at start-up).
void set_log_secrets(std::string_view conninfo);
// The redactor set by set_log_secrets, for text that leaves by another way (/readyz).
std::string redact(std::string_view text);
// Writes "evserve: " + message to stderr, redacted and rate-limited. Thread-safe.
void log_line(std::string_view message);

}  // namespace ge::server
