#include "measured_run.hpp"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cerrno>
#include <stdexcept>
#include <thread>

#include "support.hpp"

namespace ge::test {

std::optional<MeasuredRun> wait_measured(pid_t pid, const std::filesystem::path& output_path,
                                         std::chrono::steady_clock::duration timeout) {
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + timeout;
  int status = 0;
  struct rusage usage {};
  for (;;) {
    const pid_t reaped = ::wait4(pid, &status, WNOHANG, &usage);
    if (reaped == pid) break;
    if (reaped < 0 && errno != EINTR) throw std::runtime_error("wait4 failed");
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  MeasuredRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  run.peak_rss_bytes = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024u;  // KiB on Linux
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  run.output = read_file(output_path);
  return run;
}

MeasuredRun run_evload_measured(const std::vector<std::string>& args) {
  const auto output = scratch_dir("evload-measured") / "output.txt";
  const pid_t pid = start_evload(args, output.string());
  auto run = wait_measured(pid, output, std::chrono::minutes(10));
  if (!run) {
    ::kill(pid, SIGKILL);
    wait_for(pid);
    throw std::runtime_error("evload did not finish in 10 minutes");
  }
  std::filesystem::remove_all(output.parent_path());
  return *run;
}

}  // namespace ge::test
