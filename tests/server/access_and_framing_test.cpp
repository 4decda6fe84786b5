// The pieces of issue 15 that need no socket: bearer tokens (auth.hpp), the HTTP framing rules
// (http_framing.hpp), the rate-limited log (log.hpp), connect failures that will not heal
// (db_failure.hpp), and --listen's host names (listen_address.hpp).
#include <catch2/catch.hpp>

#include <boost/beast/http/message.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "server/auth.hpp"
#include "server/db_failure.hpp"
#include "server/http_framing.hpp"
#include "server/listen_address.hpp"
#include "server/log.hpp"

using namespace ge::server;

TEST_CASE("bearer tokens: any whole token of the file admits with a case-insensitive scheme and nothing else does",
          "[auth]") {
  const BearerAuth auth({"alpha-token", "beta-token"}, AuthScope::users);
  CHECK(auth.enabled());
  CHECK(auth.admits("Bearer alpha-token"));
  CHECK(auth.admits("bearer beta-token"));
  CHECK(auth.admits("  Bearer   beta-token  "));
  CHECK_FALSE(auth.admits("Bearer alpha-toke"));
  CHECK_FALSE(auth.admits("Bearer alpha-tokenx"));
  CHECK_FALSE(auth.admits("Bearer "));
  CHECK_FALSE(auth.admits("Bearer"));
  CHECK_FALSE(auth.admits("Basic alpha-token"));
  CHECK_FALSE(auth.admits("alpha-token"));
  CHECK_FALSE(auth.admits(""));
  CHECK_FALSE(BearerAuth().admits("Bearer alpha-token"));
}

TEST_CASE("bearer tokens: what each scope guards", "[auth]") {
  const BearerAuth users({"t"}, AuthScope::users);
  CHECK(users.guards("/v1/users/{user_id}/stats"));
  CHECK(users.guards("/queryUserData"));
  CHECK_FALSE(users.guards("/v1/game/stats"));
  CHECK_FALSE(users.guards("/metrics"));
  const BearerAuth all({"t"}, AuthScope::all);
  for (const char* route : {"/v1/users/{user_id}/stats", "/queryUserData", "/v1/game/stats", "/v1/game/daily",
                            "/queryGameData", "/metrics", "/openapi.json", "/v1/loads/latest"}) {
    CHECK(all.guards(route));
  }
  for (const char* route : {"/healthz", "/readyz", "/", "/assets/{name}"}) CHECK_FALSE(all.guards(route));
  CHECK_FALSE(BearerAuth().guards("/v1/users/{user_id}/stats"));  // no file: every route open
}

TEST_CASE("bearer tokens: the file, and the 401", "[auth]") {
  const std::string path = "evserve_test_tokens.txt";
  {
    std::ofstream out(path);
    out << "# tokens\n\n  one-token \r\ntwo-token\n";
  }
  const auto auth = BearerAuth::from_file(path, AuthScope::users);
  CHECK(auth.admits("Bearer one-token"));
  CHECK(auth.admits("Bearer two-token"));
  CHECK_FALSE(auth.admits("Bearer # tokens"));
  {
    std::ofstream out(path);
    out << "# none\n\n";
  }
  CHECK_THROWS_AS(BearerAuth::from_file(path, AuthScope::users), StartupError);
  std::remove(path.c_str());
  CHECK_THROWS_AS(BearerAuth::from_file(path, AuthScope::users), StartupError);
  CHECK(parse_auth_scope("all") == AuthScope::all);
  CHECK_FALSE(parse_auth_scope("everyone"));

  const Reply missing = unauthorized(false);
  CHECK(missing.status == http::status::unauthorized);
  CHECK(missing.body.find(R"("error":"unauthorized")") != std::string::npos);
  REQUIRE(missing.headers.size() == 1);
  CHECK(missing.headers[0].first == "WWW-Authenticate");
  CHECK(missing.headers[0].second == R"(Bearer realm="evserve")");
  CHECK(unauthorized(true).headers[0].second.find(R"(error="invalid_token")") != std::string::npos);
}

namespace {
http::request_header<> header(unsigned version, std::initializer_list<std::pair<http::field, const char*>> fields) {
  http::request_header<> h;
  h.version(version);
  h.method(http::verb::get);
  h.target("/healthz");
  for (const auto& [name, value] : fields) h.insert(name, value);
  return h;
}
}  // namespace

TEST_CASE("framing: Transfer-Encoding must end in chunked and HTTP/1.1 needs exactly one Host", "[framing]") {
  using F = http::field;
  CHECK_FALSE(framing_problem(header(11, {{F::host, "a"}})));
  CHECK_FALSE(framing_problem(header(11, {{F::host, "a"}, {F::transfer_encoding, "chunked"}})));
  CHECK_FALSE(framing_problem(header(11, {{F::host, "a"}, {F::transfer_encoding, "gzip, chunked"}})));
  CHECK_FALSE(
      framing_problem(header(11, {{F::host, "a"}, {F::transfer_encoding, "gzip"}, {F::transfer_encoding, "CHUNKED"}})));
  CHECK(framing_problem(header(11, {{F::host, "a"}, {F::transfer_encoding, "chunked, gzip"}})));
  CHECK(framing_problem(header(11, {{F::host, "a"}, {F::transfer_encoding, "identity"}})));
  CHECK(
      framing_problem(header(11, {{F::host, "a"}, {F::transfer_encoding, "chunked"}, {F::transfer_encoding, "gzip"}})));
  CHECK(framing_problem(header(11, {{F::host, "a"}, {F::transfer_encoding, "chunked"}, {F::content_length, "3"}})));
  CHECK(framing_problem(header(10, {{F::transfer_encoding, "chunked"}})));
  CHECK(framing_problem(header(11, {})));
  CHECK(framing_problem(header(11, {{F::host, "a"}, {F::host, "b"}})));
  CHECK(framing_problem(header(11, {{F::host, "a"}, {F::host, "a"}})));
  CHECK_FALSE(framing_problem(header(10, {})));
  const auto problem = framing_problem(header(11, {{F::host, "a"}, {F::transfer_encoding, "chunked, gzip"}}));
  REQUIRE(problem);
  CHECK(problem->status == http::status::bad_request);
  CHECK(expects_continue(header(11, {{F::expect, "100-Continue"}})));
  CHECK_FALSE(expects_continue(header(11, {})));
}

TEST_CASE("framing: absolute-form targets and CONNECT and OPTIONS star and empty lines first", "[framing]") {
  CHECK(origin_form("http://x/v1/game/stats?date=2010-05-08") == "/v1/game/stats?date=2010-05-08");
  CHECK(origin_form("HTTPS://x:8086/v1/game/stats") == "/v1/game/stats");
  CHECK(origin_form("http://x") == "/");
  CHECK(origin_form("http://x?a=1") == "/?a=1");
  CHECK_FALSE(origin_form("/v1/game/stats"));
  CHECK_FALSE(origin_form("ftp://x/v1"));
  CHECK(origin_form("http://x y/") == "");  // malformed: the router's 400
  CHECK(special_form_reply(http::verb::connect, "evil:443")->status == http::status::method_not_allowed);
  CHECK(special_form_reply(http::verb::options, "*")->status == http::status::method_not_allowed);
  CHECK(special_form_reply(http::verb::get, "*")->status == http::status::bad_request);
  CHECK_FALSE(special_form_reply(http::verb::options, "/v1/game/stats"));  // CORS preflight: not here
  CHECK_FALSE(special_form_reply(http::verb::get, "/healthz"));

  boost::beast::flat_buffer buffer;
  const std::string bytes = "\r\n\nGET / HTTP/1.1\r\n";
  auto space = buffer.prepare(bytes.size());
  std::memcpy(space.data(), bytes.data(), bytes.size());
  buffer.commit(bytes.size());
  CHECK(skip_empty_lines(buffer) == 3);
  CHECK(std::string(static_cast<const char*>(buffer.data().data()), 3) == "GET");
  CHECK(skip_empty_lines(buffer) == 0);
}

TEST_CASE("framing: the Origin of a header Beast could not parse, for its error answer's CORS", "[framing]") {
  CHECK(raw_origin_field("GET / HTTP/1.1\r\nHost: x\r\norigin:  https://b.example \r\nX-Pad: aaa") ==
        "https://b.example");
  CHECK(raw_origin_field("GET / HTTP/1.1\nOrigin: https://b.example\n\n") == "https://b.example");
  CHECK(raw_origin_field("GET / HTTP/1.1\r\nHost: x\r\n\r\nOrigin: https://body.example\r\n").empty());
  CHECK(raw_origin_field("GET /?Origin: x HTTP/1.1\r\nX-Origin: https://b.example\r\n").empty());
  CHECK(raw_origin_field("Origin: https://request-line.example\r\n").empty());
  CHECK(raw_origin_field("").empty());
}

TEST_CASE("log: an identical line within the window is held back and counted into the next copy", "[log]") {
  LogLimiter limiter(std::chrono::seconds(10));
  const auto t0 = LogLimiter::Clock::time_point{} + std::chrono::hours(1);
  CHECK(limiter.admit("database unavailable: refused", t0) == "database unavailable: refused");
  for (int i = 1; i <= 41; ++i)
    CHECK_FALSE(limiter.admit("database unavailable: refused", t0 + std::chrono::milliseconds(200 * i)));
  CHECK(limiter.admit("another line", t0 + std::chrono::seconds(1)) == "another line");
  CHECK(limiter.admit("database unavailable: refused", t0 + std::chrono::seconds(12)) ==
        "database unavailable: refused (repeated 41 times in the last 12s)");
  CHECK_FALSE(limiter.admit("database unavailable: refused", t0 + std::chrono::seconds(13)));
  CHECK(limiter.admit("database unavailable: refused", t0 + std::chrono::seconds(30)) ==
        "database unavailable: refused (repeated 1 time in the last 18s)");
  CHECK(limiter.admit("database unavailable: refused", t0 + std::chrono::seconds(60)) ==
        "database unavailable: refused");
}

TEST_CASE("log and /readyz: secrets scrubbed and libpq's text on one line", "[log]") {
  set_log_secrets("postgresql://ev_reader:Hidden-Pw-1@db/x");
  CHECK(redact("failed for postgresql://ev_reader:Hidden-Pw-1@db/x and Hidden-Pw-1") ==
        "failed for postgresql://ev_reader:***@db/x and ***");
  CHECK(describe_db_failure("cannot connect to PostgreSQL: connection to server at \"db\" failed: FATAL:  password "
                            "authentication failed for user \"ev_reader\"\n") ==
        "cannot connect to PostgreSQL: connection to server at \"db\" failed: password authentication failed for "
        "user \"ev_reader\"");
  set_log_secrets("");
}

TEST_CASE("connect failures: a refused login will not heal but the rest may", "[db-failure]") {
  CHECK(classify_connect_failure("FATAL:  password authentication failed for user \"ev_reader\"") == DbFailure::login);
  CHECK(classify_connect_failure("fe_sendauth: no password supplied") == DbFailure::login);
  CHECK(classify_connect_failure("FATAL:  no pg_hba.conf entry for host \"10.0.0.1\"") == DbFailure::login);
  CHECK(classify_connect_failure("FATAL:  role \"nobody\" does not exist") == DbFailure::login);
  CHECK(classify_connect_failure("FATAL:  Peer authentication failed for user \"x\"") == DbFailure::login);
  CHECK(classify_connect_failure("connection to server at \"127.0.0.1\", port 1 failed: Connection refused") ==
        DbFailure::transient);
  CHECK(classify_connect_failure("FATAL:  sorry, too many clients already") == DbFailure::transient);
  CHECK(classify_connect_failure("FATAL:  the database system is starting up") == DbFailure::transient);
  CHECK(classify_connect_failure("timeout expired") == DbFailure::transient);
}

TEST_CASE("listen address: addresses as they are and host names resolved and unknown names in one sentence",
          "[listen]") {
  CHECK(listen_endpoints("127.0.0.1", 8086).front().address().to_string() == "127.0.0.1");
  CHECK(listen_endpoints("::1", 0).front().address().to_string() == "::1");
  const auto local = listen_endpoints("localhost", 8086);
  REQUIRE_FALSE(local.empty());
  CHECK(local.front().address().is_loopback());
  CHECK(local.front().address().is_v4());  // IPv4 first
  CHECK(local.front().port() == 8086);
  CHECK_THROWS_AS(listen_endpoints("no-such-host.invalid", 8086), StartupError);
  CHECK_THROWS_AS(listen_endpoints("", 8086), StartupError);
  const auto text = listen_failure(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 80),
                                   boost::asio::error::address_in_use);
  CHECK(text ==
        "cannot listen on 127.0.0.1:80: the port is in use by another program (stop it, or choose another "
        "with --port)");
}
