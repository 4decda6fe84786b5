#include "etl/copy_binary_row.hpp"

#include <vector>

namespace ge {

BinaryRow& BinaryRow::text(std::string_view value) {
  const std::size_t length_at = out_.size();
  put32(0);
  const std::size_t start = out_.size();
  for (char c : value) {
    if (c == '\0') {
      out_.append("\xEF\xBF\xBD");
    } else {
      out_.push_back(c);
    }
  }
  const auto length = static_cast<std::uint32_t>(out_.size() - start);
  for (int i = 0; i < 4; ++i) out_[length_at + static_cast<std::size_t>(i)] = static_cast<char>(length >> (24 - 8 * i));
  return *this;
}

BinaryRow& BinaryRow::numeric(Int128 units, int scale) {
  // PostgreSQL numeric on the wire: int16 ndigits, int16 weight, uint16 sign, uint16 dscale,
  // then ndigits base-10000 digits, the first worth 10000^weight. Values here are never negative.
  while (scale > 0 && units % 10 == 0) {  // display scale: no trailing zeros (1.30 → 1.3)
    units /= 10;
    --scale;
  }
  // Align the fraction to whole base-10000 digits.
  int fraction_digits = scale;
  while (fraction_digits % 4 != 0) {
    units *= 10;
    ++fraction_digits;
  }
  std::vector<std::uint16_t> digits;  // least significant first
  for (Int128 rest = units; rest > 0; rest /= 10000) digits.push_back(static_cast<std::uint16_t>(rest % 10000));
  int weight = static_cast<int>(digits.size()) - 1 - fraction_digits / 4;
  std::size_t low = 0;  // trailing zero digits carry no information
  while (low < digits.size() && digits[low] == 0) ++low;
  const std::size_t count = digits.size() - low;
  if (count == 0) weight = 0;
  put32(static_cast<std::uint32_t>(8 + 2 * count));
  put16(static_cast<std::uint16_t>(count));
  put16(static_cast<std::uint16_t>(static_cast<std::int16_t>(weight)));
  put16(0);  // positive
  put16(static_cast<std::uint16_t>(scale));
  for (std::size_t i = digits.size(); i > low; --i) put16(digits[i - 1]);
  return *this;
}

}  // namespace ge
