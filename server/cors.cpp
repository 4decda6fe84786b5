#include "server/cors.hpp"

#include <algorithm>
#include <ostream>  // Boost's string_view, behind the Beast headers, needs it complete
#include <stdexcept>

#include "server/http_text.hpp"

namespace ge::server {
namespace {

// The serialized origin of RFC 6454: scheme "://" host [":" port], nothing after the authority.
bool is_origin(std::string_view text) {
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return false;
  const auto scheme = text.substr(0, scheme_end);
  if (!std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
      })) {
    return false;
  }
  const auto authority = text.substr(scheme_end + 3);
  return !authority.empty() && std::none_of(authority.begin(), authority.end(), [](char c) {
    return c == '/' || c == '?' || c == '#' || c == '@' || c == ' ' || c == ',' || c == '*';
  });
}

constexpr std::string_view kExposed = "ETag, Retry-After, Content-Disposition";

}  // namespace

CorsPolicy parse_cors_origin(std::string_view text) {
  const auto whole = trim(text);
  if (whole == "*") return {CorsPolicy::Mode::any, {}};
  if (whole == "off") return {CorsPolicy::Mode::off, {}};
  CorsPolicy policy{CorsPolicy::Mode::list, {}};
  while (true) {
    const auto comma = text.find(',');
    const auto entry = trim(text.substr(0, comma));
    if (!is_origin(entry)) {
      throw std::invalid_argument(
          "--cors-origin: '" + std::string(entry) +
          "' is not an origin (scheme://host[:port]); use '*', 'off' or a comma list of origins");
    }
    policy.origins.emplace_back(entry);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return policy;
}

std::optional<std::string> allowed_origin(const CorsPolicy& policy, std::string_view origin) {
  switch (policy.mode) {
    case CorsPolicy::Mode::off: return std::nullopt;
    case CorsPolicy::Mode::any: return std::string("*");
    case CorsPolicy::Mode::list:
      if (std::find(policy.origins.begin(), policy.origins.end(), origin) != policy.origins.end()) {
        return std::string(origin);
      }
      return std::nullopt;
  }
  return std::nullopt;
}

void add_cors_headers(Reply& reply, const CorsPolicy& policy, std::string_view origin) {
  if (policy.mode == CorsPolicy::Mode::list) reply.headers.emplace_back("Vary", "Origin");
  const auto allowed = allowed_origin(policy, origin);
  if (!allowed) return;
  reply.headers.emplace_back("Access-Control-Allow-Origin", *allowed);
  reply.headers.emplace_back("Access-Control-Expose-Headers", kExposed);
}

Reply options_reply(const CorsPolicy& policy, std::string_view origin, std::string_view request_headers) {
  Reply reply;
  reply.status = http::status::no_content;
  reply.content_type.clear();
  reply.headers.emplace_back("Allow", "GET, HEAD, OPTIONS");
  if (!origin.empty() && allowed_origin(policy, origin)) {
    reply.headers.emplace_back("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
    const auto asked = trim(request_headers);
    if (!asked.empty()) reply.headers.emplace_back("Access-Control-Allow-Headers", std::string(asked));
    reply.headers.emplace_back("Access-Control-Max-Age", "600");
  }
  return reply;
}

}  // namespace ge::server
