#pragma once
// The request target: percent-decoded path segments and query parameters (Boost.URL), and the
// SPEC §6 validation of every parameter each endpoint takes.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/utc_day.hpp"

namespace ge::server {

// Longer targets are answered 414 before any parsing.
inline constexpr std::size_t kMaxTargetLength = 2048;
// /v1/game/daily and /v1/game/retention answer at most this many days (SPEC §7.2).
inline constexpr int kMaxDailyRangeDays = 366;

struct Param {
  std::string name;
  std::optional<std::string> value;  // nullopt: "?name" without '='
};

struct Target {
  std::vector<std::string> segments;  // decoded; "/v1/game/stats" → {"v1", "game", "stats"}
  std::vector<Param> params;          // decoded, in request order
};

struct TargetProblem {
  enum class Kind { too_long, malformed } kind;
  std::string message;
  std::optional<std::string> parameter;  // the query parameter whose encoding is at fault, if known
};

// Origin-form only ("/path?query"); invalid percent-encoding or syntax is malformed.
std::variant<Target, TargetProblem> parse_target(std::string_view target);

// A SPEC §6 bad request: the parameter at fault and why.
struct BadRequest {
  std::string parameter;
  std::string message;
  bool operator==(const BadRequest&) const = default;
};

template <class T>
using Parsed = std::variant<T, BadRequest>;

// format=json (the default) or format=csv (RFC 4180 with a header row, as a download) on the game
// statistics, daily series and retention answers.
enum class ResponseFormat { json, csv };

struct UserStatsQuery {
  std::string user_id;  // canonical lower-case text
  std::optional<DayNumber> date;
};

struct GameStatsQuery {
  std::optional<DayNumber> date;
  std::optional<std::string> country;
  bool by_country = false;  // group_by=country
  ResponseFormat format = ResponseFormat::json;
};

// SPEC §7.2 (daily series) and §7.3 (retention) take the same parameters.
struct GameDailyQuery {
  DayNumber from = 0;
  DayNumber to = 0;
  std::optional<std::string> country;
  ResponseFormat format = ResponseFormat::json;
};
using RetentionQuery = GameDailyQuery;

// user_id from the path (/v1/users/{user_id}/stats; only `date` allowed in the query) or, when
// path_user_id is nullopt, from the `user_id` parameter (/queryUserData).
Parsed<UserStatsQuery> parse_user_stats_query(std::optional<std::string_view> path_user_id,
                                              const std::vector<Param>& params);
// date, country, group_by=country (country and group_by exclude each other), format.
Parsed<GameStatsQuery> parse_game_stats_query(const std::vector<Param>& params);
// from and to (required, from ≤ to, at most kMaxDailyRangeDays days), country, format (SPEC §7.4:
// an inverted or too long range names `to`). The retention endpoint takes the same.
Parsed<GameDailyQuery> parse_game_daily_query(const std::vector<Param>& params);
inline Parsed<RetentionQuery> parse_retention_query(const std::vector<Param>& params) {
  return parse_game_daily_query(params);
}
// Endpoints without parameters: any parameter is unknown.
std::optional<BadRequest> check_no_params(const std::vector<Param>& params);

// The single-value checks, exposed for tests.
std::optional<std::string> canonical_user_id(std::string_view text);  // lower-case, or nullopt
bool is_country_param(std::string_view text) noexcept;                // two upper-case letters

}  // namespace ge::server
