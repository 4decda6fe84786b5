#pragma once
// evgen's random numbers. Output must be byte-identical for the same arguments on every standard
// library, so nothing here uses std::uniform_*_distribution (whose results are implementation-
// defined): the generator is xoshiro256** seeded through splitmix64, and the bounded-integer,
// real and normal helpers are written out. The normal sampler only needs std::log and std::sqrt.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

namespace ge::evgen {

// One splitmix64 step: a good 64-bit mixer and the recommended seeder for xoshiro.
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A stateless hash of two words: derives independent streams (per user, per line) from the seed.
constexpr std::uint64_t mix64(std::uint64_t a, std::uint64_t b) noexcept {
  std::uint64_t state = a ^ (b * 0xD1B54A32D192ED03ULL) ^ 0x2545F4914F6CDD1DULL;
  splitmix64(state);
  return splitmix64(state);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) noexcept {
    for (auto& word : s_) word = splitmix64(seed);
  }

  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, bound); bound 0 yields 0. Rejection sampling keeps it exactly uniform.
  std::uint64_t below(std::uint64_t bound) noexcept {
    if (bound <= 1) return 0;
    const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
    for (;;) {
      const std::uint64_t x = next();
      if (x >= threshold) return x % bound;
    }
  }
  template <class Int>
  Int index(Int bound) noexcept {
    return static_cast<Int>(below(static_cast<std::uint64_t>(bound)));
  }
  // Uniform in [lo, hi], both inclusive; hi < lo yields lo.
  std::int64_t between(std::int64_t lo, std::int64_t hi) noexcept {
    if (hi <= lo) return lo;
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;  // 0 only for the full 2^64 range
    return lo + static_cast<std::int64_t>(span == 0 ? next() : below(span));
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) noexcept { return uniform() < p; }

  // Standard normal, Marsaglia's polar method.
  double normal() noexcept {
    for (;;) {
      const double u = 2.0 * uniform() - 1.0;
      const double v = 2.0 * uniform() - 1.0;
      const double s = u * u + v * v;
      if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
    }
  }
  double lognormal(double median, double sigma) noexcept { return median * std::exp(sigma * normal()); }

  // An index drawn with the given integer weights (at least one must be non-zero).
  std::size_t pick(std::span<const std::uint32_t> weights) noexcept {
    std::uint64_t total = 0;
    for (const std::uint32_t w : weights) total += w;
    std::uint64_t r = below(total);
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
};

}  // namespace ge::evgen
