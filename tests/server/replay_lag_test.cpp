// ReplayLag (server/replay_lag.hpp): the wait of the oldest received WAL not yet replayed, from
// samples at given times (no clock is read: the times are the test's).
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>

#include "server/replay_lag.hpp"

using ge::server::ReplayLag;
using namespace std::chrono_literals;

namespace {
const ReplayLag::Clock::time_point t0{};
}

TEST_CASE("replay lag: nothing to replay is no lag, however long the primary is idle") {
  ReplayLag lag;
  lag.sample(1000, 1000, t0);
  lag.sample(1000, 1000, t0 + 1h);
  CHECK(lag.lag() == 0ms);
}

TEST_CASE("replay lag: WAL replayed by the next sample never counts") {
  ReplayLag lag;
  // WAL keeps streaming in (a load) and the replay keeps up between samples.
  for (int i = 0; i < 10; ++i) {
    lag.sample(2000 + 1000 * static_cast<std::uint64_t>(i + 1), 2000 + 1000 * static_cast<std::uint64_t>(i),
               t0 + i * 1s);
    CHECK(lag.lag() == 0ms);
  }
}

TEST_CASE("replay lag: paused replay while WAL arrives grows with the time since it was first seen") {
  ReplayLag lag;
  lag.sample(1000, 1000, t0);
  lag.sample(5000, 1000, t0 + 1s);  // first seen behind
  CHECK(lag.lag() == 0ms);
  lag.sample(9000, 1000, t0 + 2500ms);
  CHECK(lag.lag() == 1500ms);
  lag.sample(9000, 1000, t0 + 4s);
  CHECK(lag.lag() == 3000ms);
  // The replay resumes and passes what the first behind-sample saw: the next one is the oldest.
  lag.sample(9500, 6000, t0 + 5s);
  CHECK(lag.lag() == 2500ms);
  lag.sample(9500, 9500, t0 + 6s);
  CHECK(lag.lag() == 0ms);
}

TEST_CASE("replay lag: reset forgets the samples (another server)") {
  ReplayLag lag;
  lag.sample(5000, 1000, t0);
  lag.sample(5000, 1000, t0 + 3s);
  CHECK(lag.lag() == 3000ms);
  lag.reset();
  CHECK(lag.lag() == 0ms);
  lag.sample(100, 100, t0 + 4s);
  CHECK(lag.lag() == 0ms);
}

TEST_CASE("replay lag: the pending samples are bounded and the oldest is kept") {
  ReplayLag lag;
  const auto samples = static_cast<std::int64_t>(ReplayLag::kMaxPending) + 100;
  for (std::int64_t i = 1; i <= samples; ++i) {
    lag.sample(1000 + static_cast<std::uint64_t>(i), 1000, t0 + std::chrono::milliseconds(i));
  }
  const auto last = t0 + std::chrono::milliseconds(samples);
  CHECK(lag.lag() == std::chrono::duration_cast<std::chrono::milliseconds>(last - (t0 + 1ms)));
}
