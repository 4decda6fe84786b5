#pragma once
// SPEC §1.1: a registration's country is one of the ISO 3166-1 alpha-2 codes that Debian's
// iso-codes lists; the list is generated from iso_3166-1.json at build time.
#include <string_view>

namespace ge {

// Upper-case codes only ("de" is not a code).
bool is_iso_country(std::string_view code) noexcept;
// Two upper-case ASCII letters: the shape a request parameter must have (SPEC §6).
constexpr bool is_country_shape(std::string_view code) noexcept {
  return code.size() == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z';
}

}  // namespace ge
