#pragma once
// One function per route (handlers_*.cpp). They validate their parameters first (400 before any
// database work), then run their queries through the pool — or, for the routes answered by one
// statement (the statistics), return that statement as a plan for the query dispatcher to run.
#include "server/route.hpp"

namespace ge::server {

// handlers_user.cpp
Plan plan_user_stats(const RouteContext& ctx);       // GET /v1/users/{user_id}/stats
Plan plan_query_user_data(const RouteContext& ctx);  // GET /queryUserData
// handlers_game.cpp
Plan plan_game_stats(const RouteContext& ctx);      // GET /v1/game/stats, /queryGameData
Plan plan_game_daily(const RouteContext& ctx);      // GET /v1/game/daily (SPEC §7.2)
Plan plan_game_retention(const RouteContext& ctx);  // GET /v1/game/retention (SPEC §7.3)
// handlers_ops.cpp
Reply handle_healthz(const RouteContext& ctx);
Reply handle_readyz(const RouteContext& ctx);
Reply handle_loads_latest(const RouteContext& ctx);
Reply handle_metrics(const RouteContext& ctx);
Reply handle_openapi(const RouteContext& ctx);

}  // namespace ge::server
