#pragma once
// An exact decimal number kept as its digits, for money that must leave the program exactly:
// a double holds 15-17 significant digits, and an 18-digit rate times an amount (SPEC §1.2) has
// more — 9989999999999999990.01 came out as 9.99e+18. PostgreSQL's numeric text goes in, plain
// JSON number text comes out: never an exponent, trailing zeros of the fraction dropped but one
// fraction digit kept ("635.77", "12.5", "0.0"), as doubles were printed before.
#include <optional>
#include <string>
#include <string_view>

namespace ge {

class DecimalText {
 public:
  DecimalText() = default;  // 0.0
  // From plain decimal text: [-]digits[.digits] (PostgreSQL's numeric output); nullopt otherwise.
  static std::optional<DecimalText> parse(std::string_view text);
  // The JSON number text, normalised as above.
  const std::string& text() const noexcept { return text_; }
  friend bool operator==(const DecimalText&, const DecimalText&) = default;

 private:
  explicit DecimalText(std::string text) : text_(std::move(text)) {}
  std::string text_ = "0.0";
};

}  // namespace ge
