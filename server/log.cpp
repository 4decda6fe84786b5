#include "server/log.hpp"

#include <iostream>
#include <memory>

namespace ge::server {

std::optional<std::string> LogLimiter::admit(std::string_view line, Clock::time_point now) {
  const std::string key(line);
  auto it = seen_.find(key);
  if (it == seen_.end()) {
    if (seen_.size() >= max_lines_) seen_.clear();  // many distinct lines: none is a flood
    seen_.emplace(key, Seen{now, 0});
    return key;
  }
  Seen& seen = it->second;
  if (now - seen.printed_at < window_) {
    ++seen.repeats;
    return std::nullopt;
  }
  std::string out = key;
  if (seen.repeats > 0) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - seen.printed_at).count();
    out += " (repeated " + std::to_string(seen.repeats) + (seen.repeats == 1 ? " time" : " times") + " in the last " +
           std::to_string(seconds) + "s)";
  }
  seen = Seen{now, 0};
  return out;
}

namespace {

struct Log {
  std::mutex mutex;
  LogLimiter limiter;
  std::unique_ptr<db::SecretRedactor> redactor = std::make_unique<db::SecretRedactor>("");
};

Log& log() {
  static Log instance;
  return instance;
}

}  // namespace

void set_log_secrets(std::string_view conninfo) {
  auto redactor = std::make_unique<db::SecretRedactor>(conninfo);
  const std::lock_guard lock(log().mutex);
  log().redactor = std::move(redactor);
}

std::string redact(std::string_view text) {
  const std::lock_guard lock(log().mutex);
  return (*log().redactor)(text);
}

void log_line(std::string_view message) {
  Log& state = log();
  const std::lock_guard lock(state.mutex);
  const std::string clean = (*state.redactor)(message);
  if (auto line = state.limiter.admit(clean, LogLimiter::Clock::now())) std::cerr << "evserve: " << *line << '\n';
}

}  // namespace ge::server
