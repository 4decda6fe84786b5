#pragma once
// One function per route (handlers_*.cpp). They validate their parameters first (400 before any
// database work), then run their queries through the pool.
#include "server/router.hpp"

namespace ge::server {

// handlers_user.cpp
Reply handle_user_stats(const RouteContext& ctx);      // GET /v1/users/{user_id}/stats
Reply handle_query_user_data(const RouteContext& ctx); // GET /queryUserData
// handlers_game.cpp
Reply handle_game_stats(const RouteContext& ctx);      // GET /v1/game/stats, /queryGameData
Reply handle_game_daily(const RouteContext& ctx);      // GET /v1/game/daily
// handlers_ops.cpp
Reply handle_healthz(const RouteContext& ctx);
Reply handle_readyz(const RouteContext& ctx);
Reply handle_loads_latest(const RouteContext& ctx);
Reply handle_metrics(const RouteContext& ctx);
Reply handle_openapi(const RouteContext& ctx);

}  // namespace ge::server
