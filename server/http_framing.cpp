#include "server/http_framing.hpp"

#include <boost/beast/http/rfc7230.hpp>
#include <boost/url/parse.hpp>

#include "server/http_text.hpp"

namespace ge::server {
namespace {

Reply framing_error(std::string_view message) {
  return error_reply(http::status::bad_request, ErrorCode::bad_request, message);
}

}  // namespace

std::optional<Reply> framing_problem(const http::request_header<>& header) {
  const auto encodings = header.count(http::field::transfer_encoding);
  if (encodings > 0) {
    if (header.version() < 11) {
      return framing_error("Transfer-Encoding is not allowed in HTTP/1.0 (send a Content-Length)");
    }
    if (header.count(http::field::content_length) > 0) {
      return framing_error("a request may not carry both Transfer-Encoding and Content-Length");
    }
    // The codings of every Transfer-Encoding field, in order: the last one must be chunked.
    std::string_view last;
    for (const auto& field : header) {
      if (field.name() != http::field::transfer_encoding) continue;
      for (const auto& coding : http::token_list(field.value())) last = std::string_view(coding.data(), coding.size());
    }
    if (!iequals(last, "chunked")) {
      return framing_error("Transfer-Encoding must end in chunked (RFC 9112 §6.3): the body's length is unknown");
    }
  }
  if (header.version() >= 11) {
    const auto hosts = header.count(http::field::host);
    if (hosts == 0) return framing_error("an HTTP/1.1 request needs a Host header");
    if (hosts > 1) return framing_error("a request may carry only one Host header");
  }
  return std::nullopt;
}

std::optional<std::string> origin_form(std::string_view target) {
  const auto colon = target.find(':');
  if (target.empty() || target.front() == '/' || colon == std::string_view::npos) return std::nullopt;
  const std::string_view scheme = target.substr(0, colon);
  if (!iequals(scheme, "http") && !iequals(scheme, "https")) return std::nullopt;
  const auto parsed = boost::urls::parse_absolute_uri(target);
  if (!parsed) return std::string();
  const auto path = parsed->encoded_path();
  const auto query = parsed->encoded_query();
  std::string out;
  out.reserve(path.size() + query.size() + 2);
  out.push_back('/');
  if (!path.empty()) out.append(path.data() + 1, path.size() - 1);  // an absolute URI's path starts with /
  if (parsed->has_query()) {
    out.push_back('?');
    out.append(query.data(), query.size());
  }
  return out;
}

std::optional<Reply> special_form_reply(http::verb method, std::string_view target) {
  if (method == http::verb::connect) return method_not_allowed();
  if (target == "*") {
    if (method == http::verb::options) return method_not_allowed();
    return framing_error("the target * is for OPTIONS only");
  }
  return std::nullopt;
}

bool expects_continue(const http::request_header<>& header) {
  const auto it = header.find(http::field::expect);
  return it != header.end() && iequals(std::string_view(it->value().data(), it->value().size()), "100-continue");
}

std::string raw_origin_field(std::string_view raw_header) {
  // Field lines follow the request line; the header ends at the first empty line.
  auto line_end = raw_header.find('\n');
  while (line_end != std::string_view::npos) {
    raw_header.remove_prefix(line_end + 1);
    line_end = raw_header.find('\n');
    const std::string_view line = trim(raw_header.substr(0, line_end), "\r");
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon != std::string_view::npos && iequals(line.substr(0, colon), "origin")) {
      return std::string(trim(line.substr(colon + 1)));
    }
  }
  return {};
}

std::size_t skip_empty_lines(boost::beast::flat_buffer& buffer) {
  const auto data = buffer.data();
  const auto* begin = static_cast<const char*>(data.data());
  std::size_t n = 0;
  while (n < data.size()) {
    if (begin[n] == '\n') {
      ++n;
    } else if (begin[n] == '\r' && n + 1 < data.size() && begin[n + 1] == '\n') {
      n += 2;
    } else {
      break;
    }
  }
  buffer.consume(n);
  return n;
}

}  // namespace ge::server
