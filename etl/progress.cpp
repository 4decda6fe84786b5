#include "etl/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace ge {

Progress::Progress(ProgressMode mode, std::uint64_t total_bytes)
    : enabled_(mode == ProgressMode::always || (mode == ProgressMode::automatic && ::isatty(STDERR_FILENO) == 1)),
      total_(total_bytes) {}

void Progress::redraw(std::uint64_t bytes, std::uint64_t lines, bool force) {
  const auto now = std::chrono::steady_clock::now();
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
    std::fprintf(stderr, "\r  reading [%s] %5.1f%% %.1f/%.1f MiB  %.0f lines/s  ETA %.0fs   ", bar, fraction * 100.0, mib,
                 static_cast<double>(total_) / (1024.0 * 1024.0), rate, eta);
  } else {
    std::fprintf(stderr, "\r  reading %.1f MiB  %.0f lines/s   ", mib, rate);
  }
  std::fflush(stderr);
}

void Progress::phase(const std::string& name) {
  if (!enabled_) return;
  std::fprintf(stderr, "\r\033[K  %s\n", name.c_str());
}

void Progress::done(std::uint64_t bytes, std::uint64_t lines) {
  if (!enabled_) return;
  redraw(bytes, lines, true);
  std::fprintf(stderr, "\n");
}

}  // namespace ge
