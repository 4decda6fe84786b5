#pragma once
// The "error" field of every error body evserve sends (SPEC §6). One list, so the OpenAPI
// document's Error schema can be checked against what the code can actually send.
#include <array>
#include <cstddef>
#include <string_view>

namespace ge::server {

enum class ErrorCode {
  bad_request,         // 400: a bad parameter, or a malformed HTTP message
  not_found,           // 404
  unauthorized,        // 401: a guarded route without a valid bearer token (--auth-token-file)
  method_not_allowed,  // 405
  uri_too_long,        // 414
  header_too_large,    // 431: request line and headers past --header-limit
  body_too_large,      // 413
  no_data,             // 503: no load has completed yet
  db_unavailable,      // 503: the database is not reachable
  db_timeout,          // 503: the database did not answer in time
  pool_exhausted,      // 503: every connection busy past the acquire timeout
  replica_lag,         // 503 from /readyz: the standby's replay lag is above --max-replica-lag-ms
  internal_error,      // 500: never for bad input. Keep it last (the static_assert below counts on it)
};

inline constexpr std::array kAllErrorCodes{
    ErrorCode::bad_request,    ErrorCode::not_found,        ErrorCode::unauthorized,   ErrorCode::method_not_allowed,
    ErrorCode::uri_too_long,   ErrorCode::header_too_large, ErrorCode::body_too_large, ErrorCode::no_data,
    ErrorCode::db_unavailable, ErrorCode::db_timeout,       ErrorCode::pool_exhausted, ErrorCode::replica_lag,
    ErrorCode::internal_error,
};

// A code added to the enum but not to the list would escape the OpenAPI check.
static_assert(kAllErrorCodes.size() == static_cast<std::size_t>(ErrorCode::internal_error) + 1);

constexpr std::string_view error_code_name(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::bad_request: return "bad_request";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::method_not_allowed: return "method_not_allowed";
    case ErrorCode::uri_too_long: return "uri_too_long";
    case ErrorCode::header_too_large: return "header_too_large";
    case ErrorCode::body_too_large: return "body_too_large";
    case ErrorCode::no_data: return "no_data";
    case ErrorCode::db_unavailable: return "db_unavailable";
    case ErrorCode::db_timeout: return "db_timeout";
    case ErrorCode::pool_exhausted: return "pool_exhausted";
    case ErrorCode::replica_lag: return "replica_lag";
    case ErrorCode::internal_error: return "internal_error";
  }
  return "internal_error";
}

}  // namespace ge::server
