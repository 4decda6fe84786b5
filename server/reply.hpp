#pragma once
// What a handler answers: status, content type, body and extra headers. The session turns it into
// a Beast response (and drops the body for HEAD).
#include <boost/beast/http/status.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/error_code.hpp"

namespace ge::server {

namespace http = boost::beast::http;

struct Reply {
  http::status status = http::status::ok;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Allow, Retry-After
  // Data answers revalidate (no-cache, with an ETag: http_cache.hpp); content-hashed assets are
  // immutable; everything else is not stored.
  std::string cache_control = "no-store";
  // A gzip encoding of body made once and kept for the program's life (static assets), used by
  // compression.hpp instead of compressing the body again; empty if none.
  std::string_view precompressed_gzip;
};

// Retry-After seconds for each kind of temporary failure.
inline constexpr int kRetryAfterDbDown = 5;
inline constexpr int kRetryAfterPoolBusy = 1;
inline constexpr int kRetryAfterNoData = 30;

// {"error": code, "message": message[, "parameter": parameter]} with the given status.
Reply error_reply(http::status status, ErrorCode code, std::string_view message,
                  std::optional<std::string_view> parameter = std::nullopt);
Reply bad_request(std::string_view parameter, std::string_view message);
Reply not_found(std::string_view message);
Reply method_not_allowed();
Reply service_unavailable(ErrorCode code, std::string_view message, int retry_after_seconds);
Reply json_reply(std::string body, http::status status = http::status::ok);
// 200 text/csv (format=csv); the router adds the download's Content-Disposition (DbQuery).
Reply csv_reply(std::string body);
// `attachment; filename="name"` (name: ASCII letters, digits, '-', '_' and '.', as the handlers make them).
std::string attachment_disposition(std::string_view file_name);

}  // namespace ge::server
