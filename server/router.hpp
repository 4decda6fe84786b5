#pragma once
// Request dispatch over the route table (route_table.hpp). resolve() does everything that needs
// no database — target parsing (400/414), path matching (404), method check (405) — and returns
// the route with its captures; run() calls the route's handler (or runs its plan, blocking) and
// plan() a plan route's plan; both turn failures into SPEC §6 answers (503 with Retry-After for
// database trouble, never a 500 for bad input). How a plan's query runs without blocking is the
// query dispatcher's (query_dispatcher.hpp).
#include <boost/beast/http/verb.hpp>

#include <string_view>
#include <variant>
#include <vector>

#include "common/db/connection.hpp"
#include "server/reply.hpp"
#include "server/route.hpp"

namespace ge::server {

// The route, or the reply that answers the request at once (400, 404, 405, 414).
struct Resolution {
  std::variant<ResolvedRequest, Reply> outcome;
  std::string_view route_label = kUnmatchedRoute;
};

Resolution resolve(http::verb method, std::string_view target);
// Runs the handler (or the plan and its query, blocking); exceptions become 503/500 replies.
Reply run(const ResolvedRequest& request, Services& services, Clock::time_point deadline);
// For a route with a plan: the plan (validation only, no database); exceptions become replies.
Plan plan(const ResolvedRequest& request, Services& services, Clock::time_point deadline);
// The plan's answer from its rows; exceptions become replies as in run().
Reply answer(const DbQuery& query, const db::Result& rows, std::string_view route);
// SPEC §6 mapping of a database failure: 503 no_data / db_timeout / db_unavailable, else 500.
Reply db_error_reply(const db::Error& error, std::string_view route);
// 503 pool_exhausted: no database connection (or worker) came free by the request's deadline.
Reply pool_exhausted_reply();

// Splits a pattern into segments ("/v1/game/stats" → {"v1", "game", "stats"}).
std::vector<std::string_view> pattern_segments(std::string_view pattern);

}  // namespace ge::server
