#pragma once
// Times the phases of a run into its report and shows each on the progress display, with its
// elapsed time and, where it has one, a count. A signal is answered between phases at the latest.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "etl/interrupt.hpp"
#include "etl/load_report.hpp"
#include "etl/progress.hpp"

namespace ge {

// "1 line", "41 lines": a count as a phase's detail.
inline std::string plural(std::uint64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

class PhaseClock {
 public:
  PhaseClock(LoadReport& report, Progress& progress) : report_(report), progress_(progress) {}
  // `detail` says what the phase did ("41 lines"), asked for once it is done; `ticking`: the
  // display counts the seconds while it runs (the reading phase draws its own bar instead).
  template <class Work>
  void run(const std::string& name, Work&& work, const std::function<std::string()>& detail = {}, bool ticking = true) {
    throw_if_interrupted();
    progress_.begin_phase(name, ticking);
    const auto started = std::chrono::steady_clock::now();
    work();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    report_.phases.push_back({name, seconds});
    progress_.end_phase(name, seconds, detail ? detail() : std::string());
    throw_if_interrupted();
  }

 private:
  LoadReport& report_;
  Progress& progress_;
};

}  // namespace ge
