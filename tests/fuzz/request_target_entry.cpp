// Fuzz entry 3: an HTTP request target through evserve's router (Boost.URL origin-form parsing,
// percent-decoding, route matching) and the real handlers' parameter validation. The pool is
// never reached: every request runs with a deadline already past, so a handler that gets past
// validation meets PoolTimeout (503 pool_exhausted) and no connection is ever attempted.
#include <algorithm>
#include <chrono>

#include <boost/json/parse.hpp>

#include "common/utc_day.hpp"
#include "common/uuid.hpp"
#include "server/metrics.hpp"
#include "server/pool.hpp"
#include "server/request_params.hpp"
#include "server/router.hpp"
#include "tests/fuzz/fuzz_entries.hpp"

namespace ge::fuzz {
namespace {

using namespace ge::server;

// Every reply is well-formed JSON (Boost.JSON also checks it is UTF-8) unless it is /metrics.
boost::json::object reply_body(const Reply& reply) {
  check(reply.content_type == "application/json", "replies other than /metrics are JSON");
  boost::json::error_code ec;
  boost::json::value body = boost::json::parse(reply.body, ec);
  check(!ec, "a reply body is valid UTF-8 JSON");
  check(body.is_object(), "a reply body is an object");
  return std::move(body.as_object());
}

void check_error_reply(const Reply& reply) {
  const auto status = reply.status;
  check(status == http::status::bad_request || status == http::status::not_found ||
            status == http::status::method_not_allowed || status == http::status::uri_too_long,
        "target problems are 400, 404, 405 or 414");
  const auto body = reply_body(reply);
  check(body.contains("error") && body.at("error").is_string(), "an error reply has an error code");
  check(body.contains("message") && body.at("message").is_string(), "an error reply has a message");
  if (status == http::status::bad_request && body.contains("parameter")) {
    check(body.at("parameter").is_string(), "a bad request's parameter is a string");
  }
}

std::optional<std::string_view> param(const Target& target, std::string_view name) {
  for (const Param& p : target.params) {
    if (p.name == name) return p.value ? std::string_view(*p.value) : std::string_view();
  }
  return std::nullopt;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; });
  return out;
}

// A day parsed from text writes back as that very text (parse_day is strict, no other spelling).
void check_day(std::optional<DayNumber> day, std::optional<std::string_view> text) {
  check(day.has_value() == text.has_value(), "a date is read exactly when given");
  if (day) check(format_day(*day) == *text, "a parsed date round-trips to its text");
}

void check_country(const std::optional<std::string>& country, std::optional<std::string_view> text) {
  check(country.has_value() == text.has_value(), "a country is read exactly when given");
  if (country)
    check(*country == *text && country->size() == 2 && is_country_param(*country), "country is two upper-case letters");
}

void check_user_id(const std::string& id, std::string_view text) {
  check(id.size() == kUuidTextLength && id == ascii_lower(text), "user_id is the given UUID, lower-cased");
  const auto uuid = parse_uuid(id);
  check(uuid && to_string(*uuid) == id, "user_id round-trips through Uuid");
}

// The handler's validation, run directly: nullopt when the parameters are fine, and the values
// it read checked against the text they came from.
std::optional<BadRequest> validate(const Route& route, const ResolvedRequest& request) {
  const std::string_view pattern = route.pattern;
  const Target& t = request.target;
  if (pattern == "/v1/users/{user_id}/stats" || pattern == "/queryUserData") {
    const bool in_path = pattern.starts_with("/v1/");
    const auto parsed = parse_user_stats_query(
        in_path ? std::optional<std::string_view>(request.captures.at(0)) : std::nullopt, t.params);
    if (const auto* bad = std::get_if<BadRequest>(&parsed)) return *bad;
    const auto& query = std::get<UserStatsQuery>(parsed);
    check_user_id(query.user_id, in_path ? std::string_view(request.captures.at(0)) : *param(t, "user_id"));
    check_day(query.date, param(t, "date"));
  } else if (pattern == "/v1/game/stats" || pattern == "/queryGameData") {
    const auto parsed = parse_game_stats_query(t.params);
    if (const auto* bad = std::get_if<BadRequest>(&parsed)) return *bad;
    const auto& query = std::get<GameStatsQuery>(parsed);
    check_day(query.date, param(t, "date"));
    check_country(query.country, param(t, "country"));
    check(query.by_country == (param(t, "group_by") == "country"), "group_by=country and only it groups");
    check(!(query.by_country && query.country), "country and group_by exclude each other");
  } else if (pattern == "/v1/game/daily" || pattern == "/v1/game/retention") {
    const auto parsed =
        pattern == "/v1/game/daily" ? parse_game_daily_query(t.params) : parse_retention_query(t.params);
    if (const auto* bad = std::get_if<BadRequest>(&parsed)) return *bad;
    const auto& query = std::get<GameDailyQuery>(parsed);
    check_day(query.from, param(t, "from"));
    check_day(query.to, param(t, "to"));
    check(query.from <= query.to && query.to - query.from < kMaxDailyRangeDays, "from ≤ to, at most 366 days");
    check_country(query.country, param(t, "country"));
  } else if (pattern == "/" || pattern == "/assets/{name}" || pattern == "/favicon.ico") {
    return std::nullopt;  // the dashboard's view parameters are the page's own; assets ignore any
  } else {
    return check_no_params(t.params);
  }
  return std::nullopt;
}

// Percent-encodes every byte but the unreserved ones: a target that parses to the same Target.
std::string encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

std::string encode(const Target& target) {
  std::string out;
  for (const auto& segment : target.segments) out += "/" + encode(segment);
  if (out.empty()) out = "/";
  for (std::size_t i = 0; i < target.params.size(); ++i) {
    out += i == 0 ? "?" : "&";
    out += encode(target.params[i].name);
    if (target.params[i].value) out += "=" + encode(*target.params[i].value);
  }
  return out;
}

bool same(const Target& a, const Target& b) {
  if (a.segments != b.segments || a.params.size() != b.params.size()) return false;
  for (std::size_t i = 0; i < a.params.size(); ++i) {
    if (a.params[i].name != b.params[i].name || a.params[i].value != b.params[i].value) return false;
  }
  return true;
}

}  // namespace

void request_target(std::string_view bytes) {
  static Metrics metrics;
  static Pool pool{
      PoolOptions{"postgresql://fuzz@127.0.0.1:1/none", 1, std::chrono::milliseconds(0), std::chrono::milliseconds(0)}};
  static Services services{pool, metrics};
  const Clock::time_point past{};  // the steady clock's epoch: every acquire times out at once

  Resolution get = resolve(http::verb::get, bytes);
  const Resolution post = resolve(http::verb::post, bytes);

  if (const auto* reply = std::get_if<Reply>(&get.outcome)) {
    check(get.route_label == kUnmatchedRoute, "an early answer is unmatched");
    check_error_reply(*reply);
    const auto* post_reply = std::get_if<Reply>(&post.outcome);
    check(post_reply && post_reply->status == reply->status && post_reply->body == reply->body,
          "the method does not change the answer to a target that matches no route");
    return;
  }

  const auto& request = std::get<ResolvedRequest>(get.outcome);
  check(request.route != nullptr && get.route_label == request.route->pattern, "a match is labelled by its route");
  const auto captures = std::count(request.route->pattern.begin(), request.route->pattern.end(), '{');
  check(request.captures.size() == static_cast<std::size_t>(captures), "one capture per {…} segment");
  const auto* post_reply = std::get_if<Reply>(&post.outcome);
  check(post_reply && post_reply->status == http::status::method_not_allowed && post.route_label == get.route_label,
        "POST to a route is 405");

  // Encoding every reserved byte can push the target past the 414 limit: only shorter ones count.
  if (const std::string encoded = encode(request.target); encoded.size() <= kMaxTargetLength) {
    const auto reparsed = parse_target(encoded);
    check(std::holds_alternative<Target>(reparsed) && same(std::get<Target>(reparsed), request.target),
          "a parsed target, percent-encoded again, parses to the same segments and parameters");
  }

  const Reply reply = run(request, services, past);
  check(reply.status != http::status::internal_server_error, "no input is a 500");
  const std::optional<BadRequest> bad = validate(*request.route, request);
  if (bad) {
    check(reply.status == http::status::bad_request, "invalid parameters are 400");
    const auto body = reply_body(reply);
    check(body.at("error") == "bad_request", "invalid parameters are bad_request");
    check(body.contains("parameter") && body.at("parameter").is_string() &&
              body.at("parameter").as_string() == bad->parameter,
          "a 400 names the parameter validation blamed");
    return;
  }
  if (request.route->pattern == "/metrics") {
    check(reply.status == http::status::ok, "/metrics without parameters answers");
    return;
  }
  if (request.route->pattern == "/") {
    check(reply.status == http::status::ok && reply.content_type.starts_with("text/html"), "/ is the dashboard page");
    return;
  }
  if (request.route->pattern == "/favicon.ico") {
    check(reply.status == http::status::no_content && reply.body.empty(), "/favicon.ico is an empty 204");
    return;
  }
  if (request.route->pattern == "/assets/{name}" && reply.status == http::status::ok) {
    check(reply.cache_control.find("immutable") != std::string::npos, "an asset found is immutable");
    return;
  }
  const auto body = reply_body(reply);
  if (request.route->pattern == "/healthz" || request.route->pattern == "/openapi.json") {
    check(reply.status == http::status::ok, "routes without a database answer 200");
  } else {
    check(reply.status == http::status::service_unavailable, "valid requests reach the (timed-out) pool");
  }
}

}  // namespace ge::fuzz
