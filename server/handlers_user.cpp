// SPEC §4: user level stats.
#include "common/json_text.hpp"
#include "server/handlers.hpp"
#include "server/json_views.hpp"
#include "server/queries.hpp"

namespace ge::server {
namespace {

Reply answer_user_stats(const db::Result& rows) {
  const auto stats = user_stats_from(rows);
  if (!stats) return not_found("unknown user_id");
  return json_reply(to_json_text(*stats));
}

Plan user_stats(const RouteContext& ctx, std::optional<std::string_view> path_user_id) {
  auto parsed = parse_user_stats_query(path_user_id, ctx.target.params);
  if (const auto* bad = std::get_if<BadRequest>(&parsed)) return bad_request(bad->parameter, bad->message);
  return DbQuery{user_stats_call(std::get<UserStatsQuery>(parsed)), &answer_user_stats, {}};
}

}  // namespace

Plan plan_user_stats(const RouteContext& ctx) { return user_stats(ctx, std::string_view(ctx.captures.at(0))); }

Plan plan_query_user_data(const RouteContext& ctx) { return user_stats(ctx, std::nullopt); }

}  // namespace ge::server
