#pragma once
// The route table and request dispatch. resolve() does everything that needs no database —
// target parsing (400/414), path matching (404), method check (405) — and returns the route
// with its captures; run() calls the route's handler and turns failures into SPEC §6 answers
// (503 with Retry-After for database trouble, never a 500 for bad input).
#include <boost/beast/http/verb.hpp>

#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "server/pool.hpp"
#include "server/reply.hpp"
#include "server/request_params.hpp"

namespace ge::server {

class Metrics;

// What handlers may use.
struct Services {
  Pool& pool;
  Metrics& metrics;
};

struct RouteContext {
  const Target& target;
  const std::vector<std::string>& captures;  // the {…} path segments, in order
  Services& services;
  Clock::time_point deadline;  // for acquiring a database connection
};

struct Route {
  std::string_view pattern;  // "/v1/users/{user_id}/stats"; also the metrics label
  bool uses_db;              // handlers that block on PostgreSQL run on the database workers
  Reply (*handler)(const RouteContext&);
};

// The label for requests that matched no route.
inline constexpr std::string_view kUnmatchedRoute = "unmatched";

struct ResolvedRequest {
  const Route* route = nullptr;
  Target target;
  std::vector<std::string> captures;
};

// nullptr route with a reply: answer it right away.
struct Resolution {
  std::variant<ResolvedRequest, Reply> outcome;
  std::string_view route_label = kUnmatchedRoute;
};

std::span<const Route> routes();
Resolution resolve(http::verb method, std::string_view target);
// Runs the handler; exceptions become 503/500 replies.
Reply run(const ResolvedRequest& request, Services& services, Clock::time_point deadline);

// Splits a pattern into segments ("/v1/game/stats" → {"v1", "game", "stats"}).
std::vector<std::string_view> pattern_segments(std::string_view pattern);

}  // namespace ge::server
