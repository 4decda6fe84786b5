// Routing (404/405/414/400 before any database work) and the mapping of failures to answers.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "common/db/connection.hpp"
#include "common/db/sqlstate.hpp"
#include "server/metrics.hpp"
#include "server/pool.hpp"
#include "server/route_table.hpp"
#include "server/router.hpp"

using namespace ge::server;

namespace {

// A pool that never connects unless a handler gets past validation: port 1 refuses at once.
struct Fixture {
  Pool pool{PoolOptions{"postgresql://evserve@127.0.0.1:1/none?connect_timeout=2", 2, std::chrono::milliseconds(200),
                        std::chrono::milliseconds(1000)}};
  Metrics metrics;
  Services services{pool, metrics};

  Reply get(const std::string& target, http::verb method = http::verb::get) {
    auto resolution = resolve(method, target);
    if (auto* reply = std::get_if<Reply>(&resolution.outcome)) return *reply;
    return run(std::get<ResolvedRequest>(resolution.outcome), services, Clock::now() + std::chrono::seconds(1));
  }
};

boost::json::value body(const Reply& reply) { return boost::json::parse(reply.body); }

std::optional<std::string> header(const Reply& reply, std::string_view name) {
  for (const auto& [key, value] : reply.headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

const ResolvedRequest& resolved(const Resolution& r) {
  REQUIRE(std::holds_alternative<ResolvedRequest>(r.outcome));
  return std::get<ResolvedRequest>(r.outcome);
}

}  // namespace

TEST_CASE("every route resolves, with its captures", "[router]") {
  for (const auto& route : routes()) {
    std::string target(route.pattern);
    const auto brace = target.find('{');
    if (brace != std::string::npos) target.replace(brace, target.find('}') - brace + 1, "x");
    INFO(target);
    const auto r = resolve(http::verb::get, target);
    CHECK(resolved(r).route->pattern == route.pattern);
    CHECK(r.route_label == route.pattern);
    CHECK(std::holds_alternative<ResolvedRequest>(resolve(http::verb::head, target).outcome));
  }
  const auto r = resolve(http::verb::get, "/v1/users/A1A1A1A1-683b-11ee-aca7-8699b86be788/stats?date=2010-05-08");
  CHECK(resolved(r).captures == std::vector<std::string>{"A1A1A1A1-683b-11ee-aca7-8699b86be788"});
  CHECK(resolved(resolve(http::verb::get, "/v1/users/%41bc/stats")).captures == std::vector<std::string>{"Abc"});
}

TEST_CASE("unknown routes are 404, other methods 405 with Allow", "[router]") {
  Fixture f;
  for (const char* target : {"/v1", "/assets", "/assets/", "/assets/a/b", "/v1/users/x", "/v1/users/x/stats/",
                             "/healthz/", "//healthz", "/HEALTHZ", "/v1/game/stats/extra", "/queryuserdata"}) {
    INFO(target);
    const Reply reply = f.get(target);
    CHECK(reply.status == http::status::not_found);
    CHECK(body(reply).at("error") == "not_found");
  }
  for (const auto method :
       {http::verb::post, http::verb::put, http::verb::delete_, http::verb::options, http::verb::patch}) {
    const Reply reply = f.get("/v1/game/stats", method);
    CHECK(reply.status == http::status::method_not_allowed);
    CHECK(header(reply, "Allow") == "GET, HEAD, OPTIONS");
  }
}

TEST_CASE("malformed and huge targets never reach a handler", "[router]") {
  Fixture f;
  Reply reply = f.get("/v1/game/stats?date=%ZZ");
  CHECK(reply.status == http::status::bad_request);
  CHECK(body(reply).at("parameter") == "date");
  reply = f.get("/v1/game/stats?date=" + std::string(100000, '9'));
  CHECK(reply.status == http::status::uri_too_long);
  CHECK(body(reply).at("error") == "uri_too_long");
}

TEST_CASE("bad parameters are 400 without touching the database", "[router]") {
  Fixture f;
  const std::pair<const char*, const char*> cases[] = {
      {"/v1/users/not-a-uuid/stats", "user_id"},
      {"/v1/users/a1a1a1a1-683b-11ee-aca7-8699b86be788/stats?date=2010-02-30", "date"},
      {"/v1/users/a1a1a1a1-683b-11ee-aca7-8699b86be788/stats?foo=bar", "foo"},
      {"/queryUserData", "user_id"},
      {"/queryUserData?user_id=a1a1a1a1-683b-11ee-aca7-8699b86be788&user_id=a1a1a1a1-683b-11ee-aca7-8699b86be788",
       "user_id"},
      {"/v1/game/stats?country=de", "country"},
      {"/queryGameData?country=DEU", "country"},
      {"/queryGameData?date=2010-05-08&date=2010-05-09", "date"},
      {"/v1/game/stats?group_by=city", "group_by"},
      {"/v1/game/daily?from=2010-01-01&to=2012-01-01", "to"},
      {"/readyz?x=1", "x"},
      {"/metrics?name[]=x", "name[]"},
  };
  for (const auto& [target, parameter] : cases) {
    INFO(target);
    const Reply reply = f.get(target);
    CHECK(reply.status == http::status::bad_request);
    const auto json = body(reply);
    CHECK(json.at("error") == "bad_request");
    CHECK(json.at("parameter") == parameter);
    CHECK(json.at("message").is_string());
  }
  CHECK(f.pool.stats().connect_failures == 0);
}

TEST_CASE("an unreachable database is 503 with Retry-After", "[router]") {
  Fixture f;
  for (const char* target :
       {"/v1/game/stats", "/v1/users/a1a1a1a1-683b-11ee-aca7-8699b86be788/stats", "/v1/loads/latest"}) {
    INFO(target);
    const Reply reply = f.get(target);
    CHECK(reply.status == http::status::service_unavailable);
    CHECK(body(reply).at("error") == "db_unavailable");
    CHECK(header(reply, "Retry-After").has_value());
  }
  const Reply ready = f.get("/readyz");
  CHECK(ready.status == http::status::service_unavailable);
  CHECK(body(ready).at("status") == "not_ready");
  CHECK(header(ready, "Retry-After").has_value());
  CHECK(f.get("/healthz").status == http::status::ok);  // liveness needs no database
  CHECK(f.pool.stats().connect_failures > 0);
}

TEST_CASE("handler failures map to 503 / 500, never escape", "[router]") {
  Fixture f;
  const auto run_throwing = [&](Reply (*handler)(const RouteContext&)) {
    const Route route{"/test", true, handler};
    ResolvedRequest request{&route, {}, {}};
    return run(request, f.services, Clock::now());
  };
  Reply reply = run_throwing([](const RouteContext&) -> Reply { throw PoolTimeout("busy"); });
  CHECK(reply.status == http::status::service_unavailable);
  CHECK(body(reply).at("error") == "pool_exhausted");
  CHECK(header(reply, "Retry-After").has_value());

  reply = run_throwing(
      [](const RouteContext&) -> Reply { throw ge::db::Error("relation missing", ge::db::sqlstate::kUndefinedTable); });
  CHECK(body(reply).at("error") == "no_data");
  CHECK(header(reply, "Retry-After").has_value());
  reply = run_throwing(
      [](const RouteContext&) -> Reply { throw ge::db::Error("no schema", ge::db::sqlstate::kInvalidSchemaName); });
  CHECK(body(reply).at("error") == "no_data");
  reply = run_throwing(
      [](const RouteContext&) -> Reply { throw ge::db::Error("canceled", ge::db::sqlstate::kQueryCanceled); });
  CHECK(reply.status == http::status::service_unavailable);
  reply = run_throwing(
      [](const RouteContext&) -> Reply { throw ge::db::Error("admin shutdown", ge::db::sqlstate::kAdminShutdown); });
  CHECK(body(reply).at("error") == "db_unavailable");
  reply = run_throwing([](const RouteContext&) -> Reply { throw ge::db::Error("syntax", "42601"); });
  CHECK(reply.status == http::status::internal_server_error);
  reply = run_throwing([](const RouteContext&) -> Reply { throw std::runtime_error("boom"); });
  CHECK(reply.status == http::status::internal_server_error);
}

TEST_CASE("operations endpoints without a database", "[router]") {
  Fixture f;
  Reply reply = f.get("/healthz");
  CHECK(body(reply).at("status") == "ok");
  reply = f.get("/openapi.json");
  CHECK(reply.status == http::status::ok);
  CHECK(body(reply).at("openapi").as_string().starts_with("3."));
  f.metrics.observe("/healthz", 200, std::chrono::milliseconds(2));
  reply = f.get("/metrics");
  CHECK(reply.status == http::status::ok);
  CHECK(reply.content_type.starts_with("text/plain"));
  CHECK(reply.body.find("evserve_http_requests_total{route=\"/healthz\",status=\"200\"} 1") != std::string::npos);
  CHECK(reply.body.find("evserve_db_pool_size 2") != std::string::npos);
}

TEST_CASE("the dashboard and its assets need no database", "[router]") {
  Fixture f;
  Reply page = f.get("/?from=2010-05-08&to=2010-05-22&country=DE");  // the page's own view parameters
  CHECK(page.status == http::status::ok);
  CHECK(page.content_type.starts_with("text/html"));
  CHECK(page.cache_control == "no-cache");
  CHECK(header(page, "ETag").value_or("").starts_with("W/\""));
  const auto at = page.body.find("/assets/app.", page.body.find("src=\"/assets/app."));
  REQUIRE(at != std::string::npos);
  const std::string asset = page.body.substr(at, page.body.find('"', at) - at);
  Reply script = f.get(asset);
  CHECK(script.status == http::status::ok);
  CHECK(script.content_type.starts_with("text/javascript"));
  CHECK(script.cache_control == "public, max-age=31536000, immutable");
  CHECK_FALSE(script.precompressed_gzip.empty());
  CHECK(f.get("/assets/app.000000000000.js").status == http::status::not_found);
  CHECK(f.get("/assets/index.html").status == http::status::not_found);
}
