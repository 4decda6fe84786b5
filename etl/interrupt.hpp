#pragma once
// SIGINT and SIGTERM during a run: the handler only records the signal; the run checks for it
// between steps (and the lock wait polls it), then aborts cleanly: the new generation is dropped,
// the run is recorded as `interrupted`, the live data stays, and evload exits 128 + the signal
// (130 for Ctrl-C, 143 for SIGTERM) with a status line. A second signal kills at once: an
// operator who presses Ctrl-C twice means it.
#include <stdexcept>
#include <string>

namespace ge {

// Thrown by throw_if_interrupted(): unwinds the run to its clean-up.
class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(int signal_number);
  int signal_number() const noexcept { return signal_; }

 private:
  int signal_;
};

// Installs the handlers for SIGINT and SIGTERM (once, from main).
void install_interrupt_handlers();
// The signal received, 0 when none.
int received_signal() noexcept;
void throw_if_interrupted();
// "SIGINT", "SIGTERM".
std::string signal_name(int signal_number);

}  // namespace ge
