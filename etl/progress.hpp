#pragma once
// A live progress line on stderr for long loads: bytes read of the total, events/s and ETA.
#include <chrono>
#include <cstdint>
#include <string>

namespace ge {

enum class ProgressMode { automatic, always, never };

class Progress {
 public:
  Progress(ProgressMode mode, std::uint64_t total_bytes);
  // Call every few thousand lines: redraws at most a few times a second.
  void update(std::uint64_t bytes, std::uint64_t lines) {
    if (enabled_) redraw(bytes, lines, false);
  }
  void phase(const std::string& name);  // "sorting…", "copying…"
  void done(std::uint64_t bytes, std::uint64_t lines);
  bool enabled() const noexcept { return enabled_; }

 private:
  void redraw(std::uint64_t bytes, std::uint64_t lines, bool force);
  bool enabled_;
  std::uint64_t total_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace ge
