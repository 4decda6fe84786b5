#include "server/reply.hpp"

#include <boost/json.hpp>

#include "common/json_text.hpp"

namespace ge::server {

Reply error_reply(http::status status, ErrorCode code, std::string_view message,
                  std::optional<std::string_view> parameter) {
  boost::json::object body;
  body["error"] = error_code_name(code);
  if (parameter) body["parameter"] = *parameter;
  body["message"] = message;
  Reply reply;
  reply.status = status;
  reply.body = to_json_text(body);
  return reply;
}

Reply bad_request(std::string_view parameter, std::string_view message) {
  return error_reply(http::status::bad_request, ErrorCode::bad_request, message, parameter);
}

Reply not_found(std::string_view message) {
  return error_reply(http::status::not_found, ErrorCode::not_found, message);
}

Reply method_not_allowed() {
  Reply reply =
      error_reply(http::status::method_not_allowed, ErrorCode::method_not_allowed, "only GET and HEAD are allowed");
  reply.headers.emplace_back("Allow", "GET, HEAD, OPTIONS");
  return reply;
}

Reply service_unavailable(ErrorCode code, std::string_view message, int retry_after_seconds) {
  Reply reply = error_reply(http::status::service_unavailable, code, message);
  reply.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
  return reply;
}

Reply json_reply(std::string body, http::status status) {
  Reply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

Reply csv_reply(std::string body) {
  Reply reply;
  reply.content_type = "text/csv; charset=utf-8";
  reply.body = std::move(body);
  return reply;
}

std::string attachment_disposition(std::string_view file_name) {
  std::string out = "attachment; filename=\"";
  for (const char c : file_name) {
    const bool plain =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    out += plain ? c : '_';  // never a quote, backslash or control byte inside the quoted string
  }
  out += '"';
  return out;
}

}  // namespace ge::server
