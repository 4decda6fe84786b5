// SPEC §5 and §7: game level stats, for one day or all time, one country, all, or grouped by
// country; the daily series over a range of days; retention by registration day. Each is one
// statement (a plan), answered as JSON or, with format=csv, as a CSV download.
#include "common/json_text.hpp"
#include "server/csv_views.hpp"
#include "server/handlers.hpp"
#include "server/json_views.hpp"
#include "server/queries.hpp"

namespace ge::server {

namespace {

template <auto From>
Reply answer_json(const db::Result& rows) {
  return json_reply(to_json_text(From(rows)));
}

template <auto From>
Reply answer_csv(const db::Result& rows) {
  return csv_reply(to_csv_text(From(rows)));
}

// The answer function for the format, and the download's name: "<what>_<days>[_<country>].csv".
template <auto From>
DbQuery make_query(Call call, ResponseFormat format, std::string_view what, std::string_view days,
                   const std::optional<std::string>& country) {
  if (format == ResponseFormat::json) return DbQuery{std::move(call), &answer_json<From>, {}};
  std::string name(what);
  name += '_';
  name += days;
  if (country) name += '_' + *country;
  name += ".csv";
  return DbQuery{std::move(call), &answer_csv<From>, std::move(name)};
}

std::string range_text(const GameDailyQuery& query) { return format_day(query.from) + '_' + format_day(query.to); }

}  // namespace

Plan plan_game_stats(const RouteContext& ctx) {
  auto parsed = parse_game_stats_query(ctx.target.params);
  if (const auto* bad = std::get_if<BadRequest>(&parsed)) return bad_request(bad->parameter, bad->message);
  const auto& query = std::get<GameStatsQuery>(parsed);
  const std::string days = query.date ? format_day(*query.date) : "all-time";
  if (query.by_country) {
    return make_query<&game_stats_by_country_from>(game_stats_by_country_call(query.date), query.format,
                                                   "game-stats-by-country", days, std::nullopt);
  }
  return make_query<&game_stats_from>(game_stats_call(query.date, query.country), query.format, "game-stats", days,
                                      query.country);
}

Plan plan_game_daily(const RouteContext& ctx) {
  auto parsed = parse_game_daily_query(ctx.target.params);
  if (const auto* bad = std::get_if<BadRequest>(&parsed)) return bad_request(bad->parameter, bad->message);
  const auto& query = std::get<GameDailyQuery>(parsed);
  return make_query<&game_daily_from>(game_daily_call(query), query.format, "game-daily", range_text(query),
                                      query.country);
}

Plan plan_game_retention(const RouteContext& ctx) {
  auto parsed = parse_retention_query(ctx.target.params);
  if (const auto* bad = std::get_if<BadRequest>(&parsed)) return bad_request(bad->parameter, bad->message);
  const auto& query = std::get<RetentionQuery>(parsed);
  return make_query<&retention_from>(retention_call(query), query.format, "retention", range_text(query),
                                     query.country);
}

}  // namespace ge::server
