// SPEC §5: game level stats, for one day or all time, one country, all, or grouped by country.
#include "server/handlers.hpp"
#include "common/json_text.hpp"
#include "server/json_views.hpp"
#include "server/queries.hpp"

namespace ge::server {

namespace {

Reply answer_game_stats(const db::Result& rows) { return json_reply(to_json_text(game_stats_from(rows))); }

Reply answer_game_stats_by_country(const db::Result& rows) {
  return json_reply(to_json_text(game_stats_by_country_from(rows)));
}

}  // namespace

Plan plan_game_stats(const RouteContext& ctx) {
  auto parsed = parse_game_stats_query(ctx.target.params);
  if (const auto* bad = std::get_if<BadRequest>(&parsed)) return bad_request(bad->parameter, bad->message);
  const auto& query = std::get<GameStatsQuery>(parsed);
  if (query.by_country) return DbQuery{game_stats_by_country_call(query.date), &answer_game_stats_by_country};
  return DbQuery{game_stats_call(query.date, query.country), &answer_game_stats};
}

Reply handle_game_daily(const RouteContext& ctx) {
  auto parsed = parse_game_daily_query(ctx.target.params);
  if (const auto* bad = std::get_if<BadRequest>(&parsed)) return bad_request(bad->parameter, bad->message);
  const auto& query = std::get<GameDailyQuery>(parsed);
  const auto rows =
      ctx.services.pool.run(ctx.deadline, [&](PooledConnection& conn) { return query_game_daily(conn, query); });
  return json_reply(to_json_text(rows));
}

}  // namespace ge::server
