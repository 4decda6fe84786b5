#include "etl/interrupt.hpp"

#include <atomic>
#include <csignal>

namespace ge {
namespace {
// Lock-free, so a signal handler may store it; atomic, because the reader threads read it too.
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "a signal handler may only touch lock-free atomics");

extern "C" void on_interrupt(int signal_number) {
  g_signal = signal_number;
  // The next one takes the default action (terminate): a run stuck somewhere that never checks
  // can still be stopped without kill -9.
  std::signal(signal_number, SIG_DFL);
}
}  // namespace

Interrupted::Interrupted(int signal_number)
    : std::runtime_error("interrupted by " + signal_name(signal_number)), signal_(signal_number) {}

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking read returns EINTR and the loop checks
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int received_signal() noexcept { return g_signal.load(); }

void throw_if_interrupted() {
  if (const int signal_number = g_signal.load(); signal_number != 0) throw Interrupted(signal_number);
}

std::string signal_name(int signal_number) {
  switch (signal_number) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return "signal " + std::to_string(signal_number);
  }
}

}  // namespace ge
