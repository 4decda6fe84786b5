#pragma once
// The bodies of the three fuzz targets. libfuzzer_main.cpp wraps one of them per libFuzzer binary
// (clang, GE_FUZZ=ON); replay_test.cpp feeds them every committed seed and every former crash in
// the ordinary gcc builds, so a crash once found stays fixed under `make test` and `make test-asan`.
//
// Each entry drives the code under test exactly as its binary does and checks what must hold
// for any input. A broken invariant throws InvariantBroken; so does any exception escaping code
// that must not throw. Under libFuzzer an escaping exception aborts, which is a reported crash.
#include <stdexcept>
#include <string>
#include <string_view>

namespace ge::fuzz {

class InvariantBroken : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

inline void check(bool condition, std::string_view what) {
  if (!condition) throw InvariantBroken("fuzz invariant broken: " + std::string(what));
}

// One events.jsonl line (the bytes between two newlines) through EventParser::parse.
void event_line(std::string_view bytes);
// A whole exchange_rates.jsonl through ExchangeRates::parse.
void exchange_rates(std::string_view bytes);
// An HTTP request target through evserve's router and every handler's parameter validation.
void request_target(std::string_view bytes);

}  // namespace ge::fuzz
