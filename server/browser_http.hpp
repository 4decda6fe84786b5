#pragma once
// What browsers expect of an HTTP API, applied to every answer on its way out of the session:
// conditional requests (http_cache.hpp), gzip (compression.hpp) and CORS (cors.hpp). The
// handlers stay unaware of request headers; the session hands this the few that matter.
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include "server/cors.hpp"
#include "server/reply.hpp"

namespace ge::server {

struct BrowserHttpOptions {
  CorsPolicy cors;                    // --cors-origin
  std::size_t gzip_min_bytes = 1024;  // --gzip-min-bytes: smaller answers are sent as they are
};

// The request headers the answer depends on (empty when absent).
struct BrowserHeaders {
  std::string origin;
  std::string if_none_match;
  std::string accept_encoding;
  std::string access_control_request_headers;
};

BrowserHeaders browser_headers(const boost::beast::http::fields& fields);

// In this order: ETag and 304; gzip; CORS (on every answer, errors included, so that a page can
// read a 400's or a 503's message).
void finish_for_browsers(Reply& reply, std::string_view route_label, const BrowserHeaders& headers,
                         const BrowserHttpOptions& options);

}  // namespace ge::server
