// The response bytes evserve writes by hand, read back by Beast's own parser.
#include <catch2/catch.hpp>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "common/version.hpp"
#include "server/response_text.hpp"

using namespace ge::server;
namespace http = boost::beast::http;

namespace {

// Parses `text` as a response to a GET (or HEAD) and checks that it is consumed whole.
http::response<http::string_body> parse(const std::string& text, bool head = false) {
  http::response_parser<http::string_body> parser;
  parser.skip(head);
  parser.eager(true);
  boost::beast::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(text), ec);
  REQUIRE_FALSE(ec);
  REQUIRE(parser.is_done());
  REQUIRE(used == text.size());
  return parser.release();
}

}  // namespace

TEST_CASE("a JSON answer is a complete HTTP/1.1 response", "[response]") {
  const Reply reply = json_reply(R"({"status":"ok"})");
  const auto response = parse(response_text(reply, ResponseFraming{11, true, false}));
  CHECK(response.result() == http::status::ok);
  CHECK(response.version() == 11);
  CHECK(response.keep_alive());
  CHECK(response[http::field::content_type] == "application/json");
  CHECK(response[http::field::cache_control] == "no-store");
  CHECK(response[http::field::server] == "evserve/" + std::string(ge::kVersion));
  CHECK(response[http::field::content_length] == "15");
  CHECK(response.body() == R"({"status":"ok"})");
}

TEST_CASE("extra headers, close and HTTP/1.0 keep-alive", "[response]") {
  const Reply reply = service_unavailable(ErrorCode::pool_exhausted, "busy", kRetryAfterPoolBusy);
  const auto closing = parse(response_text(reply, ResponseFraming{11, false, false}));
  CHECK(closing.result() == http::status::service_unavailable);
  CHECK(closing.reason() == "Service Unavailable");
  CHECK(closing[http::field::retry_after] == "1");
  CHECK_FALSE(closing.keep_alive());
  CHECK(closing.body() == reply.body);

  const auto old_kept = parse(response_text(reply, ResponseFraming{10, true, false}));
  CHECK(old_kept.version() == 10);
  CHECK(old_kept.keep_alive());
  const auto old_closed = parse(response_text(reply, ResponseFraming{10, false, false}));
  CHECK_FALSE(old_closed.keep_alive());
}

TEST_CASE("HEAD keeps the GET's Content-Length and sends no body", "[response]") {
  const Reply reply = method_not_allowed();
  const std::string text = response_text(reply, ResponseFraming{11, true, true});
  CHECK(text.ends_with("\r\n\r\n"));
  const auto response = parse(text, true);
  CHECK(response[http::field::content_length] == std::to_string(reply.body.size()));
  CHECK(response[http::field::allow] == "GET, HEAD, OPTIONS");
  CHECK(response.body().empty());
}
