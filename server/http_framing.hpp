#pragma once
// HTTP/1.1 message framing rules evserve adds to Beast's parser (RFC 9112), checked once the
// header is in and before any body is read (docs/api.md, "HTTP framing"):
// - Transfer-Encoding whose last coding is not "chunked" (or any in HTTP/1.0, or beside a
//   Content-Length): 400 and close. Beast would read such a request as having no body and the
//   body as the next request (request smuggling past a proxy that frames it otherwise).
// - HTTP/1.1 without Host, or more than one Host field: 400.
// - An absolute-form target ("http://host/path?q") is served as its origin form ("/path?q").
// - CONNECT, and the asterisk-form target of OPTIONS *: 405 (no tunnels, no server-wide options).
// - Expect: 100-continue with a body owed: an interim 100 Continue, so the client sends it.
// - Empty lines before a request line are ignored (skip_empty_lines).
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "server/reply.hpp"

namespace ge::server {

// A request header that cannot be framed safely: the reply (400) after which the connection closes.
std::optional<Reply> framing_problem(const http::request_header<>& header);

// The origin form of an absolute-form target; nullopt when `target` is not absolute-form. A
// malformed absolute URI gives "" (which the router answers with 400).
std::optional<std::string> origin_form(std::string_view target);

// 405 for CONNECT and for OPTIONS *, 400 for "*" with another method; nullopt for the rest.
std::optional<Reply> special_form_reply(http::verb method, std::string_view target);

// Whether the client waits for 100 Continue before sending the body it announced.
bool expects_continue(const http::request_header<>& header);

// The interim response sent for expects_continue.
inline constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// The Origin field of a request header Beast could not parse (too large, malformed), read from its
// raw bytes (the header as far as it was read), so that the error answer can still carry the CORS
// headers a listed origin gets (cors.hpp); empty when none is found.
std::string raw_origin_field(std::string_view raw_header);

// Drops CRLF or LF empty lines at the front of `buffer` (RFC 9112 §2.2: a server SHOULD ignore
// at least one before the request line). Returns how many bytes it dropped.
std::size_t skip_empty_lines(boost::beast::flat_buffer& buffer);

}  // namespace ge::server
