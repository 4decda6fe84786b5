#include "etl/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace ge {

Progress::Progress(ProgressMode mode, std::uint64_t total_bytes)
    : enabled_(mode == ProgressMode::always || (mode == ProgressMode::automatic && ::isatty(STDERR_FILENO) == 1)),
      total_(total_bytes) {}

Progress::~Progress() {
  stop_ticker();
  // A run that stops mid-phase (an error, a signal): its message starts on a line of its own.
  if (enabled_ && open_line_) std::fprintf(stderr, "\n");
}

void Progress::redraw(std::uint64_t bytes, std::uint64_t lines, bool force) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (!force && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(lines) / elapsed : 0.0;
  const double mib = static_cast<double>(bytes) / (1024.0 * 1024.0);
  if (total_ > 0) {
    const double fraction = static_cast<double>(bytes) / static_cast<double>(total_);
    const int filled = static_cast<int>(fraction * 30);
    char bar[31];
    for (int i = 0; i < 30; ++i) bar[i] = i < filled ? '#' : '.';
    bar[30] = '\0';
    const double eta = fraction > 0 ? elapsed / fraction - elapsed : 0.0;
    open_line_ = true;
    std::fprintf(stderr, "\r  reading [%s] %5.1f%% %.1f/%.1f MiB  %.0f lines/s  %.0fs  ETA %.0fs   ", bar,
                 fraction * 100.0, mib, static_cast<double>(total_) / (1024.0 * 1024.0), rate, elapsed, eta);
  } else {
    open_line_ = true;
    std::fprintf(stderr, "\r  reading %.1f MiB  %.0f lines/s  %.0fs   ", mib, rate, elapsed);
  }
  std::fflush(stderr);
}

void Progress::begin_phase(const std::string& name, bool ticking) {
  if (!enabled_) return;
  stop_ticker();
  {
    std::lock_guard lock(mutex_);
    std::fprintf(stderr, "\r\033[K  %s…", name.c_str());
    std::fflush(stderr);
    open_line_ = true;
  }
  if (!ticking) return;
  ticking_ = true;
  ticker_ = std::thread([this, name, started = std::chrono::steady_clock::now()] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::seconds(1), [this] { return !ticking_; })) {
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::fprintf(stderr, "\r\033[K  %s… %.0fs", name.c_str(), elapsed);
      std::fflush(stderr);
    }
  });
}

void Progress::stop_ticker() {
  if (!ticker_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    ticking_ = false;
  }
  wake_.notify_all();
  ticker_.join();
}

void Progress::end_phase(const std::string& name, double seconds, const std::string& detail) {
  if (!enabled_) return;
  stop_ticker();
  std::lock_guard lock(mutex_);
  open_line_ = false;
  std::fprintf(stderr, "\r\033[K  %-14s %8.2fs%s%s\n", name.c_str(), seconds, detail.empty() ? "" : "  ",
               detail.c_str());
  std::fflush(stderr);
}

void Progress::note(const std::string& text) {
  std::lock_guard lock(mutex_);
  std::fprintf(stderr, "%s%s\n", enabled_ ? "\r\033[K" : "", text.c_str());
  std::fflush(stderr);
}

void Progress::start_reading() { start_ = std::chrono::steady_clock::now(); }

void Progress::done(std::uint64_t bytes, std::uint64_t lines) {
  if (!enabled_) return;
  redraw(bytes, lines, true);
  std::lock_guard lock(mutex_);
  open_line_ = false;
  std::fprintf(stderr, "\n");
}

}  // namespace ge
