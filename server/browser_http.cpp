#include "server/browser_http.hpp"

#include "server/compression.hpp"
#include "server/http_cache.hpp"

namespace ge::server {

BrowserHeaders browser_headers(const boost::beast::http::fields& fields) {
  namespace http = boost::beast::http;
  const auto get = [&](http::field name) {
    const auto found = fields.find(name);
    return found == fields.end() ? std::string() : std::string(found->value());
  };
  return {get(http::field::origin), get(http::field::if_none_match), get(http::field::accept_encoding),
          get(http::field::access_control_request_headers)};
}

void finish_for_browsers(Reply& reply, std::string_view route_label, const BrowserHeaders& headers,
                         const BrowserHttpOptions& options) {
  // A 304 carries the Vary the 200 it stands for would have carried (RFC 9110 §15.4.5), so that a
  // cache keys the stored answer the same way.
  const bool varies = varies_by_encoding(reply, options.gzip_min_bytes);
  apply_conditional(reply, route_label, headers.if_none_match);
  if (reply.status == boost::beast::http::status::not_modified) {
    if (varies) reply.headers.emplace_back("Vary", "Accept-Encoding");
  } else {
    apply_compression(reply, headers.accept_encoding, options.gzip_min_bytes);
  }
  add_cors_headers(reply, options.cors, headers.origin);
}

}  // namespace ge::server
