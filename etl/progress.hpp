#pragma once
// Live progress on stderr for long loads: every phase with its elapsed time (ticking while it
// runs) and, where it has one, a count; the reading phase with a bar, lines/s and an ETA that
// count from the start of reading (a wait for the load lock is not in them).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace ge {

enum class ProgressMode { automatic, always, never };

class Progress {
 public:
  Progress(ProgressMode mode, std::uint64_t total_bytes);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // A phase starts: "  index… 3s" ticks once a second until end_phase, unless `ticking` is false
  // (the reading phase draws its own bar).
  void begin_phase(const std::string& name, bool ticking = true);
  // "  index  2.41s  (8 indexes)": the phase's line, final.
  void end_phase(const std::string& name, double seconds, const std::string& detail);
  // A note on its own line (waiting for the load lock, …), shown even when the bar is not.
  void note(const std::string& text);

  // The reading phase: the clock of rate and ETA starts here.
  void start_reading();
  // Call every few thousand lines: redraws at most a few times a second.
  void update(std::uint64_t bytes, std::uint64_t lines) {
    if (enabled_) redraw(bytes, lines, false);
  }
  void done(std::uint64_t bytes, std::uint64_t lines);
  bool enabled() const noexcept { return enabled_; }

 private:
  void redraw(std::uint64_t bytes, std::uint64_t lines, bool force);
  void stop_ticker();
  bool enabled_;
  std::uint64_t total_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
  std::mutex mutex_;  // the ticker thread and the run both write to stderr
  std::condition_variable wake_;
  std::thread ticker_;
  bool ticking_ = false;
  bool open_line_ = false;  // the last thing drawn has no newline yet (a bar, a ticking phase)
};

}  // namespace ge
