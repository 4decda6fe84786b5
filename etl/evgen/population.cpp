#include "etl/evgen/population.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "etl/evgen/rng.hpp"

namespace ge::evgen {
namespace {
constexpr std::uint32_t kTimeLowBase = 0x5c000000;        // the 2023 file's ids start near 5c01...
constexpr std::uint32_t kTimeLowSpanSmall = 0x2a000000;   // ... and end near 85b9... for 7,500 users
constexpr std::uint64_t kIdTail = 0xaca78699b86be788ULL;  // "aca7-8699b86be788"
constexpr std::uint32_t kIdMid = 0x683b11ee;              // "683b-11ee"
constexpr std::uint64_t kSaltOffsets = 0x72656774696d6573ULL;
constexpr std::uint64_t kSaltJitter = 0x6a69747465722121ULL;
}  // namespace

Population::Population(std::uint64_t users, std::uint64_t seed, Period period, double daily_growth)
    : period_(period), seed_(seed) {
  if (users == 0 || users > kMaxUsers) throw std::invalid_argument("users must be between 1 and 500,000,000");
  if (period.end <= period.start || period.end - period.start > 0xFFFFFFFFLL)
    throw std::invalid_argument("the period must be between 1 second and ~136 years long");
  if (!(daily_growth > 0.0)) throw std::invalid_argument("growth must be positive");

  // Registration times: density proportional to growth^(t / 1 day) on [0, T), by inverse CDF.
  const double total = static_cast<double>(period.end - period.start);
  const double g = std::log(daily_growth) / 86400.0;
  const double scale = std::expm1(g * total);
  Rng rng(mix64(seed, kSaltOffsets));
  offsets_.resize(users);
  for (auto& offset : offsets_) {
    const double u = rng.uniform();
    double t = std::abs(g) < 1e-15 ? u * total : std::log1p(u * scale) / g;
    t = std::clamp(t, 0.0, total - 1.0);
    offset = static_cast<std::uint32_t>(t);
  }
  std::sort(offsets_.begin(), offsets_.end());

  const std::uint64_t span = users * 4 <= kTimeLowSpanSmall ? kTimeLowSpanSmall : 0xFFFFFFFFULL - kTimeLowBase;
  stride_ = static_cast<std::uint32_t>(std::max<std::uint64_t>(2, span / users));
}

Uuid Population::make_id(std::uint32_t time_low) const noexcept {
  return Uuid{(static_cast<std::uint64_t>(time_low) << 32) | kIdMid, kIdTail};
}

// User i's first 8 hex digits lie in the lower half of its stride, unknown users' in the upper half.
Uuid Population::user_id(std::uint64_t i) const noexcept {
  const std::uint64_t half = stride_ / 2;
  const std::uint64_t jitter = mix64(seed_ ^ kSaltJitter, i) % half;
  return make_id(static_cast<std::uint32_t>(kTimeLowBase + i * stride_ + jitter));
}

Uuid Population::unknown_user_id(std::uint64_t i, std::uint64_t salt) const noexcept {
  const std::uint64_t half = stride_ / 2;
  const std::uint64_t jitter = mix64(seed_ ^ salt, i) % (stride_ - half);
  return make_id(static_cast<std::uint32_t>(kTimeLowBase + i * stride_ + half + jitter));
}

}  // namespace ge::evgen
