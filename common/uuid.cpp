#include "common/uuid.hpp"

namespace ge {
namespace {
constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
constexpr bool is_hyphen_position(std::size_t i) noexcept { return i == 8 || i == 13 || i == 18 || i == 23; }
}  // namespace

std::optional<Uuid> parse_uuid(std::string_view text) noexcept {
  if (text.size() != kUuidTextLength) return std::nullopt;
  Uuid id;
  int nibbles = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_hyphen_position(i)) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    const int v = hex_value(text[i]);
    if (v < 0) return std::nullopt;
    std::uint64_t& half = nibbles < 16 ? id.high : id.low;
    half = (half << 4) | static_cast<std::uint64_t>(v);
    ++nibbles;
  }
  return id;
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
