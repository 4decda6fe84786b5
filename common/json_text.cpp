#include "common/json_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <string_view>

namespace ge {
namespace {

bool needs_escape(char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; }

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  // Runs of characters that need no escape (nearly all of them) are appended in one go.
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!needs_escape(c)) continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (byte < 0x20) {
          static constexpr std::string_view kHex = "0123456789abcdef";
          out += "\\u00";
          out += kHex[byte >> 4U];
          out += kHex[byte & 0xFU];
        }
    }
  }
  out.append(text.data() + run, text.size() - run);  // UTF-8 passes through: names come from a validated UTF-8 load
  out += '"';
}

void append_json_integer(std::string& out, std::int64_t value) {
  std::array<char, 24> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), result.ptr);
}

namespace {

void append_integer(std::string& out, std::uint64_t value) {
  std::array<char, 24> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), result.ptr);
}

}  // namespace

void append_json_number(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  // Plain to_chars picks the shorter of fixed and scientific, so 100000.0 came out as "1e+05".
  // Fixed (still the shortest digits that read back exactly) within the range money and
  // averages live in; scientific only for magnitudes no answer has.
  const double magnitude = std::fabs(value);
  const bool fixed = magnitude == 0.0 || (magnitude >= 1e-6 && magnitude < 1e15);
  std::array<char, 64> buffer{};
  const auto result = fixed
                          ? std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed)
                          : std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  if (result.ec != std::errc()) {  // cannot happen with 64 bytes; never write a broken number
    out += "null";
    return;
  }
  const std::string_view text(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data()));
  out += text;
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

void append_json_text(std::string& out, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null: out += "null"; break;
    case boost::json::kind::bool_: out += value.get_bool() ? "true" : "false"; break;
    case boost::json::kind::int64: append_json_integer(out, value.get_int64()); break;
    case boost::json::kind::uint64: append_integer(out, value.get_uint64()); break;
    case boost::json::kind::double_: append_json_number(out, value.get_double()); break;
    case boost::json::kind::string: append_json_string(out, value.get_string()); break;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& element : value.get_array()) {
        if (!first) out += ',';
        first = false;
        append_json_text(out, element);
      }
      out += ']';
      break;
    }
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& member : value.get_object()) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, member.key());
        out += ':';
        append_json_text(out, member.value());
      }
      out += '}';
      break;
    }
  }
}

std::string to_json_text(const boost::json::value& value) {
  std::string out;
  out.reserve(256);
  append_json_text(out, value);
  return out;
}

}  // namespace ge
