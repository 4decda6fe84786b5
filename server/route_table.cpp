#include "server/route_table.hpp"

#include <array>

#include "server/handlers.hpp"
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

}  // namespace

std::span<const Route> routes() { return kRoutes; }

}  // namespace ge::server
