#include "server/response_text.hpp"

#include <array>
#include <charconv>
#include <ostream>  // Boost's string_view, behind obsolete_reason, needs it complete

#include "common/version.hpp"

namespace ge::server {

std::string response_text(const Reply& reply, const ResponseFraming& framing) {
  const auto reason = http::obsolete_reason(reply.status);
  std::string out;
  out.reserve(160 + reply.content_type.size() + reply.body.size());
  out += framing.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  std::array<char, 24> number{};
  auto end = std::to_chars(number.data(), number.data() + number.size(), static_cast<unsigned>(reply.status)).ptr;
  out.append(number.data(), end);
  out += ' ';
  out.append(reason.data(), reason.size());
  out += "\r\nServer: evserve/";
  out += kVersion;
  out += "\r\n";
  // 204 and 304 carry no content: no Content-Type or Content-Length (a 304's would have to be the
  // full answer's, RFC 9110 §8.6), and nothing after the headers.
  const bool no_content = reply.status == http::status::no_content || reply.status == http::status::not_modified;
  if (!no_content) {
    out += "Content-Type: ";
    out += reply.content_type;
    out += "\r\n";
  }
  out += "Cache-Control: ";
  out += reply.cache_control;
  out += "\r\n";
  for (const auto& [name, value] : reply.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (!no_content) {
    out += "Content-Length: ";
    end = std::to_chars(number.data(), number.data() + number.size(), reply.body.size()).ptr;
    out.append(number.data(), end);
    out += "\r\n";
  }
  if (framing.version == 10 && framing.keep_alive) out += "Connection: keep-alive\r\n";
  if (framing.version != 10 && !framing.keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  if (!framing.head && !no_content) out += reply.body;
  return out;
}

}  // namespace ge::server
