#pragma once
// The two text operations header values need (RFC 9110 §5.6), one copy for every file that
// reads headers: optional whitespace (OWS: spaces and tabs) around a value or a list member
// trimmed, and tokens compared ASCII case-insensitively (Beast's own iequals).
#include <boost/beast/core/string.hpp>

#include <string_view>

namespace ge::server {

using boost::beast::iequals;

// `text` without `chars` (OWS by default) at either end.
inline std::string_view trim(std::string_view text, std::string_view chars = " \t") noexcept {
  const auto first = text.find_first_not_of(chars);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(chars) - first + 1);
}

}  // namespace ge::server
