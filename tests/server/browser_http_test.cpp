// What browsers expect of evserve: CORS, ETag/304, gzip, and the embedded dashboard.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <regex>
#include <stdexcept>
#include <string>

#include "server/browser_http.hpp"
#include "server/compression.hpp"
#include "server/cors.hpp"
#include "server/http_cache.hpp"
#include "server/static_assets.hpp"

using namespace ge::server;

namespace {

std::string header(const Reply& reply, std::string_view name) {
  std::string out;
  for (const auto& [key, value] : reply.headers) {
    if (key == name) out += (out.empty() ? "" : ",") + value;
  }
  return out;
}

int count_headers(const Reply& reply, std::string_view name) {
  int n = 0;
  for (const auto& [key, value] : reply.headers) n += key == name ? 1 : 0;
  return n;
}

std::string gunzip(const std::string& data) {
  z_stream stream{};
  REQUIRE(inflateInit2(&stream, 15 + 16) == Z_OK);
  std::string out;
  char buffer[16384];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  inflateEnd(&stream);
  REQUIRE(status == Z_STREAM_END);
  return out;
}

Reply data_reply(std::string body) { return json_reply(std::move(body)); }

}  // namespace

TEST_CASE("the cors origin setting: any origin, off, or a list of origins", "[cors]") {
  CHECK(parse_cors_origin("*").mode == CorsPolicy::Mode::any);
  CHECK(parse_cors_origin("off").mode == CorsPolicy::Mode::off);
  const auto list = parse_cors_origin("https://a.example, http://localhost:3000");
  CHECK(list.mode == CorsPolicy::Mode::list);
  CHECK(list.origins == std::vector<std::string>{"https://a.example", "http://localhost:3000"});
  for (const char* bad : {"", "a.example", "https://a.example/", "https://a.example,", "https://*.example", "ftp//x",
                          "https://user@a.example", "*,https://a.example"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_cors_origin(bad), std::invalid_argument);
  }
}

TEST_CASE("CORS headers: any origin, listed origins only, or none", "[cors]") {
  Reply any = data_reply("{}");
  add_cors_headers(any, parse_cors_origin("*"), "https://x.example");
  CHECK(header(any, "Access-Control-Allow-Origin") == "*");
  CHECK(header(any, "Access-Control-Expose-Headers").find("ETag") != std::string::npos);
  CHECK(count_headers(any, "Access-Control-Allow-Credentials") == 0);

  const auto list = parse_cors_origin("https://a.example,https://b.example");
  Reply listed = data_reply("{}");
  add_cors_headers(listed, list, "https://b.example");
  CHECK(header(listed, "Access-Control-Allow-Origin") == "https://b.example");
  CHECK(header(listed, "Vary") == "Origin");
  Reply other = data_reply("{}");
  add_cors_headers(other, list, "https://evil.example");
  CHECK(count_headers(other, "Access-Control-Allow-Origin") == 0);
  CHECK(header(other, "Vary") == "Origin");  // a cache must not hand this answer to b.example

  Reply off = data_reply("{}");
  add_cors_headers(off, parse_cors_origin("off"), "https://a.example");
  CHECK(off.headers.empty());
}

TEST_CASE("a preflight is answered 204 with what it asks for", "[cors]") {
  const Reply preflight = options_reply(parse_cors_origin("*"), "https://x.example", "if-none-match, authorization");
  CHECK(preflight.status == http::status::no_content);
  CHECK(preflight.body.empty());
  CHECK(header(preflight, "Allow") == "GET, HEAD, OPTIONS");
  CHECK(header(preflight, "Access-Control-Allow-Methods") == "GET, HEAD, OPTIONS");
  CHECK(header(preflight, "Access-Control-Allow-Headers") == "if-none-match, authorization");
  CHECK(header(preflight, "Access-Control-Max-Age") == "600");

  const Reply plain = options_reply(parse_cors_origin("*"), "", "");
  CHECK(plain.status == http::status::no_content);
  CHECK(count_headers(plain, "Access-Control-Allow-Methods") == 0);
  const Reply refused = options_reply(parse_cors_origin("https://a.example"), "https://evil.example", "x");
  CHECK(count_headers(refused, "Access-Control-Allow-Methods") == 0);
}

TEST_CASE("data answers carry an ETag of their content, If-None-Match gets 304", "[http_cache]") {
  const std::string etag = body_etag(R"({"logins":3})");
  CHECK(std::regex_match(etag, std::regex(R"(W/"[0-9a-f]{16}")")));
  CHECK(etag == body_etag(R"({"logins":3})"));
  CHECK(etag != body_etag(R"({"logins":4})"));

  Reply reply = data_reply(R"({"logins":3})");
  apply_conditional(reply, "/v1/game/stats", "");
  CHECK(reply.status == http::status::ok);
  CHECK(header(reply, "ETag") == etag);
  CHECK(reply.cache_control == "no-cache");

  for (const std::string& matching : {etag, "\"other\", " + etag, etag.substr(2), std::string("*")}) {
    INFO(matching);
    Reply again = data_reply(R"({"logins":3})");
    apply_conditional(again, "/v1/game/stats", matching);
    CHECK(again.status == http::status::not_modified);
    CHECK(again.body.empty());
    CHECK(header(again, "ETag") == etag);
  }
  Reply changed = data_reply(R"({"logins":4})");
  apply_conditional(changed, "/v1/game/stats", etag);
  CHECK(changed.status == http::status::ok);
  CHECK(changed.body == R"({"logins":4})");
}

TEST_CASE("errors, probes and metrics get no ETag", "[http_cache]") {
  Reply error = bad_request("date", "not a day");
  apply_conditional(error, "/v1/game/stats", "*");
  CHECK(error.status == http::status::bad_request);
  CHECK(count_headers(error, "ETag") == 0);
  for (const char* route : {"/healthz", "/readyz", "/metrics", "/openapi.json", "unmatched"}) {
    Reply probe = data_reply(R"({"status":"ok"})");
    apply_conditional(probe, route, "*");
    CHECK(probe.status == http::status::ok);
    CHECK(count_headers(probe, "ETag") == 0);
    CHECK(probe.cache_control == "no-store");
  }
  CHECK(is_data_route("/v1/users/{user_id}/stats"));
  CHECK(is_data_route("/queryGameData"));
  CHECK(is_data_route("/v1/loads/latest"));
}

TEST_CASE("Accept-Encoding: gzip with a q-value above zero", "[compression]") {
  CHECK(accepts_gzip("gzip"));
  CHECK(accepts_gzip("gzip, deflate, br"));
  CHECK(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  CHECK(accepts_gzip("x-gzip"));
  CHECK(accepts_gzip("*"));
  CHECK_FALSE(accepts_gzip(""));
  CHECK_FALSE(accepts_gzip("identity"));
  CHECK_FALSE(accepts_gzip("deflate, br"));
  CHECK_FALSE(accepts_gzip("gzip;q=0"));
  CHECK_FALSE(accepts_gzip("*, gzip;q=0"));
  CHECK_FALSE(accepts_gzip("gzip;q=zero"));
}

TEST_CASE("answers over the threshold are gzipped for clients that accept it", "[compression]") {
  std::string body = "[";
  for (int i = 0; i < 200; ++i) body += R"({"date":"2010-05-08","logins":12},)";
  body.back() = ']';

  Reply big = data_reply(body);
  apply_compression(big, "gzip, deflate", 1024);
  CHECK(header(big, "Content-Encoding") == "gzip");
  CHECK(header(big, "Vary") == "Accept-Encoding");
  CHECK(big.body.size() < body.size() / 4);
  CHECK(gunzip(big.body) == body);

  Reply refused = data_reply(body);
  apply_compression(refused, "identity", 1024);
  CHECK(refused.body == body);
  CHECK(count_headers(refused, "Content-Encoding") == 0);
  CHECK(header(refused, "Vary") == "Accept-Encoding");  // the answer depends on the header all the same

  Reply small = data_reply(R"({"status":"ok"})");
  apply_compression(small, "gzip", 1024);
  CHECK(small.headers.empty());

  Reply error = error_reply(http::status::service_unavailable, ErrorCode::db_unavailable, std::string(2000, 'x'));
  apply_compression(error, "gzip", 1024);
  CHECK(count_headers(error, "Content-Encoding") == 0);
}

TEST_CASE("the three steps together: a 304 is neither gzipped nor without CORS", "[browser_http]") {
  std::string body(5000, 'a');
  const BrowserHttpOptions options;
  Reply first = data_reply(body);
  finish_for_browsers(first, "/v1/game/daily", {"https://x.example", "", "gzip", ""}, options);
  CHECK(header(first, "Content-Encoding") == "gzip");
  CHECK(header(first, "Access-Control-Allow-Origin") == "*");
  const std::string etag = header(first, "ETag");
  Reply second = data_reply(body);
  finish_for_browsers(second, "/v1/game/daily", {"https://x.example", etag, "gzip", ""}, options);
  CHECK(second.status == http::status::not_modified);
  CHECK(second.body.empty());
  CHECK(count_headers(second, "Content-Encoding") == 0);
  CHECK(header(second, "ETag") == etag);
  CHECK(header(second, "Access-Control-Allow-Origin") == "*");
  // RFC 9110 §15.4.5: the Vary the 200 would have carried, so that a cache keys both alike.
  CHECK(header(second, "Vary") == "Accept-Encoding");
  // An answer too small to be gzipped varies by nothing, as a 200 or as a 304.
  Reply small = data_reply("[]");
  finish_for_browsers(small, "/v1/game/daily", {"", "", "gzip", ""}, options);
  Reply small_again = data_reply("[]");
  finish_for_browsers(small_again, "/v1/game/daily", {"", header(small, "ETag"), "gzip", ""}, options);
  CHECK(small_again.status == http::status::not_modified);
  CHECK(count_headers(small, "Vary") == 0);
  CHECK(count_headers(small_again, "Vary") == 0);
}

TEST_CASE("the dashboard is embedded: the page links its assets by content-hashed names", "[static_assets]") {
  const EmbeddedAsset* page = find_asset("index.html", false);
  REQUIRE(page != nullptr);
  CHECK(page->content_type.starts_with("text/html"));
  const std::string html(page->body);
  CHECK(html.find("{{asset:") == std::string::npos);
  const std::regex link(R"re((?:src|href)="/assets/([^"]+)")re");
  int linked = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), link); it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1];
    INFO(name);
    CHECK(std::regex_match(name, std::regex(R"(.+\.[0-9a-f]{12}\.(js|css))")));
    const EmbeddedAsset* asset = find_asset(name, true);
    REQUIRE(asset != nullptr);
    CHECK(asset->sha256.substr(0, 12) == name.substr(name.size() - (name.ends_with(".js") ? 15 : 16), 12));
    CHECK_FALSE(asset->body.empty());
    ++linked;
  }
  CHECK(linked == 3);  // Chart.js, app.js, app.css
  CHECK(find_asset("index.html", true) == nullptr);
  CHECK(find_asset("../CMakeLists.txt", true) == nullptr);
  bool chart = false;
  for (const auto& asset : embedded_assets())
    chart |= asset.name.starts_with("chart.") && asset.body.find("Chart") != std::string_view::npos;
  CHECK(chart);
}
