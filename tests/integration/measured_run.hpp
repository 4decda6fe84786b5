#pragma once
// evload as a child process measured by the kernel: how it ended (exit code or signal) and its
// peak resident memory from wait4's rusage, the figure memory bounds are asserted on (not
// evload's own report of itself, which a crash would never write).
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ge::test {

struct MeasuredRun {
  int exit_code = -1;  // -1: ended by a signal
  int signal = 0;      // the signal that ended it; 0 when it exited
  std::uint64_t peak_rss_bytes = 0;
  double seconds = 0;
  std::string output;  // stdout and stderr together
};

// Runs evload with args (through support's start_evload) and reaps it.
MeasuredRun run_evload_measured(const std::vector<std::string>& args);
// Reaps a started child; nullopt (the child still running) when it has not ended by the timeout.
std::optional<MeasuredRun> wait_measured(pid_t pid, const std::filesystem::path& output_path,
                                         std::chrono::steady_clock::duration timeout);

// True in an AddressSanitizer build, whose shadow memory and quarantine make RSS no measure of
// the design's bounds.
constexpr bool kSanitizedBuild =
#ifdef GE_SANITIZED
    true;
#else
    false;
#endif

}  // namespace ge::test
