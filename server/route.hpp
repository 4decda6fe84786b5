#pragma once
// What a route is: its pattern, and either a handler (a reply from the request) or a plan (the
// one statement that answers it, as data). The table of routes is route_table.*, matching a
// request to one of them router.*, the handlers handlers_*.cpp.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/db/connection.hpp"
#include "server/reply.hpp"
#include "server/request_params.hpp"
#include "server/statement.hpp"

namespace ge::server {

class Metrics;
class Pool;
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

// A route's database work as data: one statement, and what its rows answer. The query
// dispatcher (query_dispatcher.hpp) runs it without blocking a thread where it can.
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

// A request matched to its route, with the route's captures.
struct ResolvedRequest {
  const Route* route = nullptr;
  Target target;
  std::vector<std::string> captures;
};

}  // namespace ge::server
