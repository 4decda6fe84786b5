#include "server/router.hpp"

#include <exception>

#include "common/db/connection.hpp"
#include "common/db/sqlstate.hpp"
#include "server/db_failure.hpp"
#include "server/log.hpp"
#include "server/pool.hpp"
#include "server/route_table.hpp"

namespace ge::server {
namespace {

bool is_capture(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// Each route's pattern split once, not on every request.
const std::vector<std::vector<std::string_view>>& route_segments() {
  static const auto segments = [] {
    std::vector<std::vector<std::string_view>> out;
    for (const Route& route : routes()) out.push_back(pattern_segments(route.pattern));
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

}  // namespace

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
  const auto table = routes();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const Route& route = table[i];
    if (!matches(patterns[i], parsed_target.segments, captures)) continue;
    if (method != http::verb::get && method != http::verb::head) return {method_not_allowed(), route.pattern};
    return {ResolvedRequest{&route, std::move(parsed_target), std::move(captures)}, route.pattern};
  }
  return {not_found("no such route"), kUnmatchedRoute};
}

Reply db_error_reply(const db::Error& error, std::string_view route) {
  namespace sqlstate = db::sqlstate;
  if (sqlstate::is_missing_relation(error.sqlstate())) {
    return service_unavailable(ErrorCode::no_data, "no data has been loaded yet (run evload)", kRetryAfterNoData);
  }
  if (error.sqlstate() == sqlstate::kQueryCanceled) {
    return service_unavailable(ErrorCode::db_timeout, "the database did not answer in time", kRetryAfterDbDown);
  }
  if (sqlstate::is_unavailable(error.sqlstate())) {
    log_line("database unavailable: " + describe_db_failure(error.what()));
    return service_unavailable(ErrorCode::db_unavailable, "the database is not reachable", kRetryAfterDbDown);
  }
  log_line("database error on " + std::string(route) + ": " + describe_db_failure(error.what()));
  return error_reply(http::status::internal_server_error, ErrorCode::internal_error, "database error");
}

Reply pool_exhausted_reply() {
  return service_unavailable(ErrorCode::pool_exhausted, "all database connections are busy; retry shortly",
                             kRetryAfterPoolBusy);
}

namespace {

// f()'s result (a Reply, or a Plan), or the reply its failure calls for.
template <class F>
auto replying_to_errors(std::string_view route, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const PoolTimeout&) {
    return pool_exhausted_reply();
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
  return replying_to_errors(request.route->pattern, [&] { return request.route->plan(ctx); });
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
