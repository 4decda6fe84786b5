#include "common/decimal_text.hpp"

namespace ge {

std::optional<DecimalText> DecimalText::parse(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  const auto dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  const auto digits = [](std::string_view part) {
    for (const char c : part) {
      if (c < '0' || c > '9') return false;
    }
    return true;
  };
  if (whole.empty() || !digits(whole) || !digits(fraction) || (dot != std::string_view::npos && fraction.empty())) {
    return std::nullopt;
  }
  while (whole.size() > 1 && whole.front() == '0') whole.remove_prefix(1);
  while (fraction.size() > 1 && fraction.back() == '0') fraction.remove_suffix(1);
  if (fraction.empty()) fraction = "0";
  std::string out;
  if (negative && !(whole == "0" && fraction == "0")) out += '-';
  out.append(whole).append(1, '.').append(fraction);
  return DecimalText(std::move(out));
}

}  // namespace ge
