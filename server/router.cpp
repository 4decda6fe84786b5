#include "server/router.hpp"

#include <array>
#include <exception>
#include <iostream>

#include "common/db/connection.hpp"
#include "server/db_failure.hpp"
#include "server/handlers.hpp"
#include "server/log.hpp"
#include "server/queries.hpp"
#include "server/static_assets.hpp"

namespace ge::server {
namespace {

constexpr std::array kRoutes{
    Route{"/v1/users/{user_id}/stats", true, nullptr, &plan_user_stats},
    Route{"/v1/game/stats", true, nullptr, &plan_game_stats},
    Route{"/v1/game/daily", true, nullptr, &plan_game_daily},
    Route{"/v1/game/retention", true, nullptr, &plan_game_retention},
    Route{"/queryUserData", true, nullptr, &plan_query_user_data},
    Route{"/queryGameData", true, nullptr, &plan_game_stats},
    Route{"/healthz", false, &handle_healthz},
    Route{"/readyz", true, &handle_readyz},
    Route{"/v1/loads/latest", true, &handle_loads_latest},
    Route{"/metrics", false, &handle_metrics},
    Route{"/openapi.json", false, &handle_openapi},
    Route{"/", false, &handle_dashboard},
    Route{"/assets/{name}", false, &handle_asset},
    Route{"/favicon.ico", false, &handle_favicon},
};

bool is_capture(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// Each route's pattern split once, not on every request.
const std::vector<std::vector<std::string_view>>& route_segments() {
  static const auto segments = [] {
    std::vector<std::vector<std::string_view>> out;
    for (const Route& route : kRoutes) out.push_back(pattern_segments(route.pattern));
    return out;
  }();
  return segments;
}

bool matches(const std::vector<std::string_view>& pattern, const std::vector<std::string>& segments,
             std::vector<std::string>& captures) {
  if (pattern.size() != segments.size()) return false;
  captures.clear();
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_capture(pattern[i])) {
      captures.push_back(segments[i]);
    } else if (pattern[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

// SQLSTATE classes that mean "the database is not reachable or not accepting work right now".
bool is_unavailable(std::string_view sqlstate) {
  return sqlstate.empty() || sqlstate.starts_with("08") || sqlstate.starts_with("53") ||
         sqlstate.starts_with("57P") || sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03";
}

}  // namespace

std::span<const Route> routes() { return kRoutes; }

std::vector<std::string_view> pattern_segments(std::string_view pattern) {
  std::vector<std::string_view> out;
  if (pattern.starts_with('/')) pattern.remove_prefix(1);
  if (pattern.empty()) return out;  // "/": no segments, as Boost.URL parses the target "/"
  while (true) {
    const auto slash = pattern.find('/');
    out.push_back(pattern.substr(0, slash));
    if (slash == std::string_view::npos) break;
    pattern.remove_prefix(slash + 1);
  }
  return out;
}

Resolution resolve(http::verb method, std::string_view target) {
  auto parsed = parse_target(target);
  if (auto* problem = std::get_if<TargetProblem>(&parsed)) {
    if (problem->kind == TargetProblem::Kind::too_long) {
      return {error_reply(http::status::uri_too_long, ErrorCode::uri_too_long, problem->message), kUnmatchedRoute};
    }
    if (problem->parameter) return {bad_request(*problem->parameter, problem->message), kUnmatchedRoute};
    return {error_reply(http::status::bad_request, ErrorCode::bad_request, problem->message), kUnmatchedRoute};
  }
  auto& parsed_target = std::get<Target>(parsed);
  std::vector<std::string> captures;
  const auto& patterns = route_segments();
  for (std::size_t i = 0; i < kRoutes.size(); ++i) {
    const Route& route = kRoutes[i];
    if (!matches(patterns[i], parsed_target.segments, captures)) continue;
    if (method != http::verb::get && method != http::verb::head) return {method_not_allowed(), route.pattern};
    return {ResolvedRequest{&route, std::move(parsed_target), std::move(captures)}, route.pattern};
  }
  return {not_found("no such route"), kUnmatchedRoute};
}

Reply db_error_reply(const db::Error& error, std::string_view route) {
  if (is_missing_relation(error.sqlstate())) {
    return service_unavailable(ErrorCode::no_data, "no data has been loaded yet (run evload)", kRetryAfterNoData);
  }
  if (error.sqlstate() == "57014") {
    return service_unavailable(ErrorCode::db_timeout, "the database did not answer in time", kRetryAfterDbDown);
  }
  if (is_unavailable(error.sqlstate())) {
    log_line("database unavailable: " + describe_db_failure(error.what()));
    return service_unavailable(ErrorCode::db_unavailable, "the database is not reachable", kRetryAfterDbDown);
  }
  log_line("database error on " + std::string(route) + ": " + describe_db_failure(error.what()));
  return error_reply(http::status::internal_server_error, ErrorCode::internal_error, "database error");
}

namespace {

template <class F>
Reply replying_to_errors(std::string_view route, F&& f) {
  try {
    return f();
  } catch (const PoolTimeout&) {
    return service_unavailable(ErrorCode::pool_exhausted, "all database connections are busy; retry shortly",
                               kRetryAfterPoolBusy);
  } catch (const db::Error& error) {
    return db_error_reply(error, route);
  } catch (const std::exception& error) {
    log_line("error on " + std::string(route) + ": " + redact(error.what()));
    return error_reply(http::status::internal_server_error, ErrorCode::internal_error, "internal error");
  }
}

// The plan's answer, with its download name when it is one.
Reply answered(const DbQuery& query, const db::Result& rows) {
  Reply reply = query.answer(rows);
  if (!query.download_name.empty() && reply.status == http::status::ok) {
    reply.headers.emplace_back("Content-Disposition", attachment_disposition(query.download_name));
  }
  return reply;
}

}  // namespace

Plan plan(const ResolvedRequest& request, Services& services, Clock::time_point deadline) {
  const RouteContext ctx{request.target, request.captures, services, deadline};
  Plan result = Reply{};
  Reply failure = replying_to_errors(request.route->pattern, [&] {
    result = request.route->plan(ctx);
    return Reply{};
  });
  if (failure.status != http::status::ok) return failure;
  return result;
}

Reply answer(const DbQuery& query, const db::Result& rows, std::string_view route) {
  return replying_to_errors(route, [&] { return answered(query, rows); });
}

Reply run(const ResolvedRequest& request, Services& services, Clock::time_point deadline) {
  const RouteContext ctx{request.target, request.captures, services, deadline};
  return replying_to_errors(request.route->pattern, [&] {
    if (!request.route->plan) return request.route->handler(ctx);
    Plan planned = request.route->plan(ctx);
    if (auto* reply = std::get_if<Reply>(&planned)) return std::move(*reply);
    const auto& query = std::get<DbQuery>(planned);
    const db::Result rows = services.pool.run(
        deadline, [&](PooledConnection& conn) { return conn.run(*query.call.statement, query.call.params); });
    return answered(query, rows);
  });
}

}  // namespace ge::server
