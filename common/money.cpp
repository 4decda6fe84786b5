#include "common/money.hpp"

#include <algorithm>
#include <cmath>

namespace ge {
namespace {
Int128 pow10(int exponent) noexcept {
  Int128 value = 1;
  for (int i = 0; i < exponent; ++i) value *= 10;
  return value;
}
std::string digits_of(Int128 value) {
  if (value == 0) return "0";
  std::string digits;
  while (value > 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}
std::string with_point(Int128 mantissa, int scale) {
  std::string digits = digits_of(mantissa);  // not const: `return digits` moves it
  const auto fraction = static_cast<std::size_t>(scale);
  if (fraction == 0) return digits;
  // At least one digit before the point: pad with zeros as "0.05" needs.
  const std::string padded =
      digits.size() <= fraction ? std::string(fraction + 1 - digits.size(), '0') + digits : digits;
  const std::size_t whole = padded.size() - fraction;
  return padded.substr(0, whole) + "." + padded.substr(whole);
}
}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view text) noexcept {
  if (text.empty()) return std::nullopt;
  Decimal result;
  bool seen_point = false;
  bool seen_digit = false;
  int significant = 0;
  for (char c : text) {
    if (c == '.') {
      if (seen_point || !seen_digit) return std::nullopt;
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    seen_digit = true;
    if (result.mantissa != 0 || c != '0') ++significant;
    if (significant > 18) return std::nullopt;
    result.mantissa = result.mantissa * 10 + (c - '0');
    if (seen_point && ++result.scale > kMaxScale) return std::nullopt;
  }
  if (text.back() == '.') return std::nullopt;
  return result;
}

Decimal Decimal::rescaled(int new_scale) const noexcept {
  return Decimal{mantissa * pow10(new_scale - scale), new_scale};
}

Decimal operator+(const Decimal& a, const Decimal& b) noexcept {
  const int scale = std::max(a.scale, b.scale);
  return Decimal{a.rescaled(scale).mantissa + b.rescaled(scale).mantissa, scale};
}

Decimal operator*(const Decimal& a, const Decimal& b) noexcept {
  return Decimal{a.mantissa * b.mantissa, a.scale + b.scale};
}

bool operator==(const Decimal& a, const Decimal& b) noexcept {
  const int scale = std::max(a.scale, b.scale);
  return a.rescaled(scale).mantissa == b.rescaled(scale).mantissa;
}

std::string Decimal::to_string() const { return with_point(mantissa, scale); }

std::string Decimal::to_string_rounded(int digits) const {
  if (digits >= scale) return with_point(rescaled(digits).mantissa, digits);
  const Int128 divisor = pow10(scale - digits);
  // Half away from zero; the value is non-negative.
  const Int128 rounded = (mantissa + divisor / 2) / divisor;
  return with_point(rounded, digits);
}

double Decimal::to_double() const noexcept { return static_cast<double>(mantissa) / static_cast<double>(pow10(scale)); }

std::optional<std::uint8_t> amount_code(double amount) noexcept {
  if (!std::isfinite(amount)) return std::nullopt;
  const double cents = amount * 100.0;
  for (std::size_t i = 0; i < kAllowedAmountCents.size(); ++i) {
    if (std::fabs(cents - kAllowedAmountCents[i]) <= 1e-6) return static_cast<std::uint8_t>(i);
  }
  return std::nullopt;
}

}  // namespace ge
