#include "etl/number_clamp.hpp"

namespace ge {
namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }

struct NumberToken {
  std::size_t end = 0;  // one past the token
  bool valid = false;
  bool negative = false;
  std::size_t integer_digits = 0;
  std::string_view digits;  // the integer part
  bool has_fraction = false;
  bool has_exponent = false;
  bool exponent_negative = false;
  std::size_t exponent_digits = 0;  // without leading zeros
  std::size_t exponent_value = 0;   // saturates
};

// Where a JSON value may start or end: whitespace and the structural characters around values.
bool starts_after(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ':' || c == ',' || c == '[';
}
bool ends_before(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ']' || c == '}'; }

NumberToken scan_number(std::string_view s, std::size_t i) {
  NumberToken t;
  const std::size_t start = i;
  if (i < s.size() && s[i] == '-') {
    t.negative = true;
    ++i;
  }
  const std::size_t integer_start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  t.integer_digits = i - integer_start;
  t.digits = s.substr(integer_start, t.integer_digits);
  if (t.integer_digits == 0 || (t.integer_digits > 1 && s[integer_start] == '0')) {
    t.end = i;
    return t;
  }
  if (i < s.size() && s[i] == '.') {
    const std::size_t fraction_start = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == fraction_start) {
      t.end = i;
      return t;
    }
    t.has_fraction = true;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) t.exponent_negative = s[i++] == '-';
    const std::size_t exponent_start = i;
    while (i < s.size() && is_digit(s[i])) {
      if (t.exponent_value < 100000) t.exponent_value = t.exponent_value * 10 + static_cast<std::size_t>(s[i] - '0');
      ++i;
    }
    if (i == exponent_start) {
      t.end = i;
      return t;
    }
    t.has_exponent = true;
  }
  t.end = i;
  // A JSON number stands between delimiters. Part of a longer run is no number, and rewriting it
  // would splice the stand-in onto its neighbours into a new token: "5e-935e-9…" became
  // "0.0e-9…", and "-123456-89…5e-99999" became the valid "-1234560.0" (both found by fuzzing).
  t.valid = (start == 0 || starts_after(s[start - 1])) && (i == s.size() || ends_before(s[i]));
  return t;
}

// The stand-in for a token simdjson cannot hold, or nullopt when the token is fine as it is.
std::optional<std::string_view> stand_in(const NumberToken& t) {
  if (!t.has_fraction && !t.has_exponent) {
    // simdjson holds integers in [-2^63, 2^64 - 1]; the stand-ins are those bounds, out of every
    // range the SPEC allows just as the original is.
    const std::string_view limit = t.negative ? "9223372036854775808" : "18446744073709551615";
    const bool fits = t.integer_digits < limit.size() || (t.integer_digits == limit.size() && t.digits <= limit);
    if (fits) return std::nullopt;
    return t.negative ? std::string_view("-9223372036854775808") : std::string_view("18446744073709551615");
  }
  // A float: its magnitude decides. Large → ±1e300, vanishing → 0.0; everything else stays.
  // magnitude is the number of integer digits the value has: it is below 10^magnitude. Up to 308
  // digits a double holds it (DBL_MAX ≈ 1.8e308); the stand-in 1e300 (301 digits) must itself
  // stay below the cut, or a rewritten line would still hold "out-of-range" numbers.
  const long long magnitude =
      static_cast<long long>(t.integer_digits) +
      (t.exponent_negative ? -static_cast<long long>(t.exponent_value) : static_cast<long long>(t.exponent_value));
  if (magnitude > 308) return t.negative ? std::string_view("-1e300") : std::string_view("1e300");
  if (magnitude < -300) return std::string_view("0.0");
  return std::nullopt;
}
}  // namespace

std::optional<std::string> clamp_out_of_range_numbers(std::string_view line) {
  std::string out;
  bool changed = false;
  bool in_string = false;
  std::size_t copied = 0;  // line[0, copied) is already in out
  for (std::size_t i = 0; i < line.size();) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') {
        i += 2;
      } else {
        if (c == '"') in_string = false;
        ++i;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      ++i;
      continue;
    }
    if (c != '-' && !is_digit(c)) {
      ++i;
      continue;
    }
    const NumberToken token = scan_number(line, i);
    if (token.valid) {
      if (auto replacement = stand_in(token)) {
        out.append(line.substr(copied, i - copied));
        out.append(*replacement);
        copied = token.end;
        changed = true;
      }
    }
    i = token.end > i ? token.end : i + 1;
  }
  if (!changed) return std::nullopt;
  out.append(line.substr(copied));
  return out;
}

}  // namespace ge
