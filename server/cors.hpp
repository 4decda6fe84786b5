#pragma once
// Cross-origin reads (CORS): which web pages may read evserve's answers from a browser, and the
// answer to a preflight (OPTIONS). Nothing evserve serves depends on cookies, so credentials are
// never allowed and "*" is a safe default (the original system allowed any origin).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/reply.hpp"

namespace ge::server {

struct CorsPolicy {
  enum class Mode { off, any, list };
  Mode mode = Mode::any;
  std::vector<std::string> origins;  // Mode::list: exact origins, "scheme://host[:port]"
};

// --cors-origin: "*" (any origin), "off" (no CORS headers), or a comma-separated list of origins
// ("https://a.example,http://localhost:3000"). Throws std::invalid_argument naming the bad entry.
CorsPolicy parse_cors_origin(std::string_view text);

// The Access-Control-Allow-Origin value for a request whose Origin header is `origin` (empty: none
// sent), or nullopt when that origin may not read the answer.
std::optional<std::string> allowed_origin(const CorsPolicy& policy, std::string_view origin);

// Adds Access-Control-Allow-Origin (and Expose-Headers, so that scripts may read ETag,
// Retry-After and Content-Disposition) when the origin is allowed; with a list, Vary: Origin on
// every answer, since the answer then depends on the Origin header.
void add_cors_headers(Reply& reply, const CorsPolicy& policy, std::string_view origin);

// The answer to OPTIONS on an existing route: 204 with Allow, and when it is a preflight from an
// allowed origin, the Access-Control-Allow-{Methods,Headers} and Max-Age it asks about. The request
// headers a preflight names are echoed: every answer is public, so none needs to be refused.
Reply options_reply(const CorsPolicy& policy, std::string_view origin, std::string_view request_headers);

}  // namespace ge::server
