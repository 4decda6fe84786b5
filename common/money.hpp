#pragma once
// Money in exact decimal arithmetic (SPEC §1.2: amount × rate_to_usd, exactly).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ge {

// GCC and Clang's 128-bit integer (__extension__ keeps -Wpedantic quiet about it).
__extension__ typedef __int128 Int128;

// A non-negative decimal: mantissa × 10^-scale. Wide enough for sums of millions of amounts
// times rates of up to 18 significant digits.
struct Decimal {
  Int128 mantissa = 0;
  int scale = 0;

  static constexpr int kMaxScale = 18;
  // Parses a plain decimal ("1", "1.30", "0.5"); no sign, exponent or spaces. nullopt when it
  // is not one, or needs more than kMaxScale fraction digits or 18 significant digits.
  static std::optional<Decimal> parse(std::string_view text) noexcept;
  Decimal rescaled(int new_scale) const noexcept;   // new_scale >= scale
  std::string to_string() const;                    // exact, without trailing zeros beyond scale
  std::string to_string_rounded(int digits) const;  // half away from zero
  double to_double() const noexcept;
  bool is_zero() const noexcept { return mantissa == 0; }
};

Decimal operator+(const Decimal& a, const Decimal& b) noexcept;
Decimal operator*(const Decimal& a, const Decimal& b) noexcept;
bool operator==(const Decimal& a, const Decimal& b) noexcept;

// SPEC §1.1: the five valid transaction amounts, in cents.
inline constexpr std::array<std::int32_t, 5> kAllowedAmountCents{99, 199, 299, 499, 999};
// The index into kAllowedAmountCents of an amount within 1e-6 cents of a valid one (at ×100).
std::optional<std::uint8_t> amount_code(double amount) noexcept;
inline Decimal amount_decimal(std::uint8_t code) noexcept { return Decimal{kAllowedAmountCents[code], 2}; }

}  // namespace ge
