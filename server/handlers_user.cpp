// SPEC §4: user level stats.
#include "server/handlers.hpp"
#include "server/json_text.hpp"
#include "server/json_views.hpp"
#include "server/queries.hpp"

namespace ge::server {
namespace {

Reply user_stats(const RouteContext& ctx, std::optional<std::string_view> path_user_id) {
  auto parsed = parse_user_stats_query(path_user_id, ctx.target.params);
  if (const auto* bad = std::get_if<BadRequest>(&parsed)) return bad_request(bad->parameter, bad->message);
  const auto& query = std::get<UserStatsQuery>(parsed);
  const auto stats =
      ctx.services.pool.run(ctx.deadline, [&](PooledConnection& conn) { return query_user_stats(conn, query); });
  if (!stats) return not_found("unknown user_id");
  return json_reply(to_json_text(*stats));
}

}  // namespace

Reply handle_user_stats(const RouteContext& ctx) { return user_stats(ctx, std::string_view(ctx.captures.at(0))); }

Reply handle_query_user_data(const RouteContext& ctx) { return user_stats(ctx, std::nullopt); }

}  // namespace ge::server
