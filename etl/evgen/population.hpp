#pragma once
// Who plays: N users, their registration times (growing towards the end of the period, like the
// 2023 file) and their ids (`xxxxxxxx-683b-11ee-aca7-8699b86be788`, the first 8 hex digits rising
// with the registration time as in a time-based UUID). Memory: 4 bytes per user.
#include <cstdint>
#include <vector>

#include "common/uuid.hpp"

namespace ge::evgen {

struct Period {
  std::int64_t start = 0;  // first second, inclusive
  std::int64_t end = 0;    // exclusive
};

class Population {
 public:
  // daily_growth: registrations on day d+1 / registrations on day d (1 = flat).
  Population(std::uint64_t users, std::uint64_t seed, Period period, double daily_growth);

  std::uint64_t size() const noexcept { return offsets_.size(); }
  const Period& period() const noexcept { return period_; }
  // Non-decreasing in i.
  std::int64_t registration_time(std::uint64_t i) const noexcept { return period_.start + offsets_[i]; }
  Uuid user_id(std::uint64_t i) const noexcept;
  // An id that looks like user i's neighbours' but belongs to nobody (for "unknown user" events).
  Uuid unknown_user_id(std::uint64_t i, std::uint64_t salt) const noexcept;

  // The largest population whose ids stay distinct.
  static constexpr std::uint64_t kMaxUsers = 500'000'000;

 private:
  Uuid make_id(std::uint32_t time_low) const noexcept;

  Period period_;
  std::uint64_t seed_;
  std::vector<std::uint32_t> offsets_;  // seconds after period.start, sorted
  std::uint32_t stride_ = 2;            // distance between consecutive users' first 8 hex digits
};

}  // namespace ge::evgen
