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

#include "common/db/connection.hpp"
#include "server/pool.hpp"
#include "server/reply.hpp"
#include "server/request_params.hpp"

namespace ge::server {

class Metrics;
class ReplicaMonitor;

// What handlers may use.
struct Services {
  Pool& pool;
  Metrics& metrics;
  const ReplicaMonitor* replica = nullptr;  // where the database stands (replica_status.hpp)
};

struct RouteContext {
  const Target& target;
  const std::vector<std::string>& captures;  // the {…} path segments, in order
  Services& services;
  Clock::time_point deadline;  // for acquiring a database connection
};

// A route's database work as data: one statement, and what its rows answer. The session runs it
// without blocking a thread (async_query.hpp); run() below runs it with a blocking lease.
struct DbQuery {
  Call call;
  Reply (*answer)(const db::Result& rows);
  // Non-empty: the answer is a download (format=csv) and a 200 carries
  // `Content-Disposition: attachment; filename="<download_name>"`.
  std::string download_name;
};
// A reply already (a bad request), or the query that makes it.
using Plan = std::variant<Reply, DbQuery>;

struct Route {
  std::string_view pattern;  // "/v1/users/{user_id}/stats"; also the metrics label
  bool uses_db;              // handlers that block on PostgreSQL run on the database workers
  Reply (*handler)(const RouteContext&);
  // Routes answered by one statement: this instead of handler (which is then nullptr).
  Plan (*plan)(const RouteContext&) = nullptr;
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
// Runs the handler (or the plan and its query, blocking); exceptions become 503/500 replies.
Reply run(const ResolvedRequest& request, Services& services, Clock::time_point deadline);
// For a route with a plan: the plan (validation only, no database); exceptions become replies.
Plan plan(const ResolvedRequest& request, Services& services, Clock::time_point deadline);
// The plan's answer from its rows; exceptions become replies as in run().
Reply answer(const DbQuery& query, const db::Result& rows, std::string_view route);
// SPEC §6 mapping of a database failure: 503 no_data / db_timeout / db_unavailable, else 500.
Reply db_error_reply(const db::Error& error, std::string_view route);

// Splits a pattern into segments ("/v1/game/stats" → {"v1", "game", "stats"}).
std::vector<std::string_view> pattern_segments(std::string_view pattern);

}  // namespace ge::server
