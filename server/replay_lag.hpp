#pragma once
// How long the WAL a hot standby has received has been waiting to be replayed, from samples of
// (pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) taken at known times.
//
// The usual measure, now() - pg_last_xact_replay_timestamp(), is the age of the last replayed
// commit: it grows without bound on an idle primary (nothing to replay, yet "hours behind"), and
// jumps to that age the moment any WAL arrives after a quiet spell (the first statement of a
// load), or stays at the age of the last commit all through a long COPY that the standby replays
// as it streams in. A readiness gate on it would fail a standby that is not behind at all.
//
// This measure is the one a gate can trust: a sample at time t that has seen WAL up to R
// received proves that everything up to R was on the standby by t; while the replay position is
// short of R, that WAL has waited at least now - t. The lag is that wait for the oldest sample
// whose WAL is not replayed yet, and 0 when everything received is replayed (an idle primary, a
// standby that keeps up). It is a lower bound, precise to the sampling interval, and it cannot
// see WAL the standby has not received (a slow network, a lost primary): that shows as no lag.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <utility>

namespace ge::server {

class ReplayLag {
 public:
  using Clock = std::chrono::steady_clock;

  // A sample: the received and replayed WAL positions (bytes from 0/0) at `now`. A primary, or a
  // standby that has received nothing by streaming (receive unknown), passes received = replayed.
  void sample(std::uint64_t received, std::uint64_t replayed, Clock::time_point now);
  // The wait of the oldest received WAL not yet replayed, as of the last sample (0: none).
  std::chrono::milliseconds lag() const noexcept { return lag_; }
  // Forgets the samples (the server changed: its positions are not comparable).
  void reset() noexcept;

  // Pending samples are kept at most this many (a long pause while WAL streams in): the oldest
  // is kept, so the lag stays a lower bound.
  static constexpr std::size_t kMaxPending = 4096;

 private:
  std::deque<std::pair<std::uint64_t, Clock::time_point>> pending_;  // (received, first seen at)
  std::chrono::milliseconds lag_{0};
};

}  // namespace ge::server
