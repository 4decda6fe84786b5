#include "server/access_log.hpp"

#include <cstdio>
#include <ctime>
#include <string>

namespace ge::server {

void AccessLog::write(std::string_view remote, std::string_view method, std::string_view target, unsigned version,
                      unsigned status, std::size_t body_bytes, std::chrono::duration<double> elapsed) {
  if (!enabled_) return;
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  const std::size_t stamp_length = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);

  std::string line(stamp, stamp_length);
  line += ' ';
  line += remote;
  line += " \"";
  line += method;
  line += ' ';
  // The target is client input: bounded and printable only.
  constexpr std::size_t kMaxTarget = 512;
  for (const char c : target.substr(0, kMaxTarget)) line += (c > 0x20 && c < 0x7f && c != '"') ? c : '?';
  if (target.size() > kMaxTarget) line += "...";
  line += " HTTP/" + std::to_string(version / 10) + '.' + std::to_string(version % 10) + "\" ";
  line += std::to_string(status) + ' ' + std::to_string(body_bytes) + ' ';
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3fms\n", elapsed.count() * 1000.0);
  line += ms;

  const std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

}  // namespace ge::server
