#include "common/uuid.hpp"

#include <array>

namespace ge {
namespace {
// -1 for every byte that is not a hex digit; a table keeps the hot loop free of branches.
constexpr std::array<std::int8_t, 256> make_hex_table() {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) table[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) table[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'A' + 10);
  return table;
}
constexpr auto kHex = make_hex_table();
constexpr bool is_hyphen_position(std::size_t i) noexcept { return i == 8 || i == 13 || i == 18 || i == 23; }
// Where the 32 hex digits sit in the 36-character text.
constexpr std::array<std::uint8_t, 32> make_digit_positions() {
  std::array<std::uint8_t, 32> positions{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < kUuidTextLength; ++i) {
    if (!is_hyphen_position(i)) positions[n++] = static_cast<std::uint8_t>(i);
  }
  return positions;
}
constexpr auto kDigitPositions = make_digit_positions();
}  // namespace

std::optional<Uuid> parse_uuid(std::string_view text) noexcept {
  if (text.size() != kUuidTextLength || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') {
    return std::nullopt;
  }
  std::uint64_t halves[2] = {0, 0};
  int invalid = 0;
  for (std::size_t half = 0; half < 2; ++half) {
    for (std::size_t i = 0; i < 16; ++i) {
      const std::int8_t v = kHex[static_cast<unsigned char>(text[kDigitPositions[half * 16 + i]])];
      invalid |= v;  // any -1 sets the sign bit
      halves[half] = (halves[half] << 4) | static_cast<std::uint64_t>(v & 0xF);
    }
  }
  if (invalid < 0) return std::nullopt;
  return Uuid{halves[0], halves[1]};
}

void format_uuid(const Uuid& id, char* out) noexcept {
  constexpr char kDigits[] = "0123456789abcdef";
  int nibble = 0;
  for (std::size_t i = 0; i < kUuidTextLength; ++i) {
    if (is_hyphen_position(i)) {
      out[i] = '-';
      continue;
    }
    const std::uint64_t half = nibble < 16 ? id.high : id.low;
    const int shift = 60 - 4 * (nibble % 16);
    out[i] = kDigits[(half >> shift) & 0xF];
    ++nibble;
  }
}

std::string to_string(const Uuid& id) {
  std::string text(kUuidTextLength, '\0');
  format_uuid(id, text.data());
  return text;
}

}  // namespace ge
