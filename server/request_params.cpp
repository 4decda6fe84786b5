#include "server/request_params.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <initializer_list>

#include "common/country.hpp"
#include "common/uuid.hpp"

namespace ge::server {
namespace {

using Allowed = std::initializer_list<std::string_view>;

// Parameter names as they may appear in a message: printable ASCII, at most 64 bytes.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, 64)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (text.size() > 64) out += "...";
  return out;
}

// Unknown or repeated names are bad requests. Params with neither name nor value ("?", "a=1&&b=2")
// are skipped: they carry nothing.
class Checked {
 public:
  static Parsed<Checked> make(const std::vector<Param>& params, Allowed allowed) {
    Checked checked;
    for (const auto& param : params) {
      if (param.name.empty() && !param.value) continue;
      if (std::find(allowed.begin(), allowed.end(), param.name) == allowed.end()) {
        return BadRequest{printable(param.name), "unknown parameter '" + printable(param.name) + "'"};
      }
      for (const auto* seen : checked.found_) {
        if (seen->name == param.name) return BadRequest{param.name, "parameter given more than once"};
      }
      checked.found_.push_back(&param);
    }
    return checked;
  }

  // nullopt when absent; "" for "?name" without a value.
  std::optional<std::string_view> get(std::string_view name) const {
    for (const auto* param : found_) {
      if (param->name == name) return param->value ? std::string_view(*param->value) : std::string_view();
    }
    return std::nullopt;
  }

 private:
  std::vector<const Param*> found_;
};

BadRequest missing(std::string_view name) { return BadRequest{std::string(name), "parameter is required"}; }
BadRequest bad_date(std::string_view name) {
  return BadRequest{std::string(name), "must be a real day written YYYY-MM-DD"};
}
BadRequest bad_country() {
  return BadRequest{"country", "must be two upper-case letters (an ISO 3166-1 alpha-2 code such as DE)"};
}
BadRequest bad_user_id() { return BadRequest{"user_id", "must be a UUID: 8-4-4-4-12 hexadecimal digits"}; }

// Reads an optional date parameter; false (and sets error) when present but not a real day.
bool read_date(const Checked& checked, std::string_view name, std::optional<DayNumber>& out,
               std::optional<BadRequest>& error) {
  const auto text = checked.get(name);
  if (!text) return true;
  const auto day = parse_day(*text);
  if (!day) {
    error = bad_date(name);
    return false;
  }
  out = *day;
  return true;
}

bool read_country(const Checked& checked, std::optional<std::string>& out, std::optional<BadRequest>& error) {
  const auto text = checked.get("country");
  if (!text) return true;
  if (!is_country_param(*text)) {
    error = bad_country();
    return false;
  }
  out = std::string(*text);
  return true;
}

bool read_format(const Checked& checked, ResponseFormat& out, std::optional<BadRequest>& error) {
  const auto text = checked.get("format");
  if (!text || *text == "json") return true;
  if (*text == "csv") {
    out = ResponseFormat::csv;
    return true;
  }
  error = BadRequest{"format", "must be json (the default) or csv"};
  return false;
}

// Which query parameter makes the target malformed: the first `&`-separated piece that is not a
// valid query on its own (bad %-escape, space, control or non-ASCII byte). Its raw name, if any.
std::optional<std::string> malformed_param(std::string_view target) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view piece = query.substr(0, amp);
    const std::string piece_target = "/?" + std::string(piece);
    if (!boost::urls::parse_origin_form(piece_target)) {
      const std::string name_target = "/?" + std::string(piece.substr(0, piece.find('=')));
      const auto decoded = boost::urls::parse_origin_form(name_target);  // views name_target
      if (decoded && !decoded->params().empty()) return printable((*decoded->params().begin()).key);
      return printable(name_target.substr(2));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

}  // namespace

std::variant<Target, TargetProblem> parse_target(std::string_view target) {
  if (target.size() > kMaxTargetLength) {
    return TargetProblem{TargetProblem::Kind::too_long,
                         "request target longer than " + std::to_string(kMaxTargetLength) + " bytes", std::nullopt};
  }
  const auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) {
    auto parameter = malformed_param(target);
    // In words, not Boost.URL's ("mismatch", "leftover"): what is wrong and how to write it.
    std::string message =
        parameter ? "malformed parameter '" + printable(*parameter) +
                        "': a bad %-escape, or a space, control or non-ASCII byte (send those %-encoded)"
                  : "malformed request target: it must be a path starting with / and an optional ?query, with spaces, "
                    "control and non-ASCII bytes %-encoded";
    return TargetProblem{TargetProblem::Kind::malformed, std::move(message), std::move(parameter)};
  }
  const boost::urls::url_view& url = *parsed;
  Target out;
  for (const auto& segment : url.segments()) out.segments.push_back(segment);
  if (url.has_query()) {
    for (const auto& param : url.params()) {
      Param p;
      p.name = param.key;
      if (param.has_value) p.value = param.value;
      out.params.push_back(std::move(p));
    }
  }
  return out;
}

std::optional<std::string> canonical_user_id(std::string_view text) {
  const auto id = parse_uuid(text);
  if (!id) return std::nullopt;
  return to_string(*id);
}

bool is_country_param(std::string_view text) noexcept { return is_country_shape(text); }

Parsed<UserStatsQuery> parse_user_stats_query(std::optional<std::string_view> path_user_id,
                                              const std::vector<Param>& params) {
  auto checked_or = path_user_id ? Checked::make(params, {"date"}) : Checked::make(params, {"user_id", "date"});
  if (auto* error = std::get_if<BadRequest>(&checked_or)) return std::move(*error);
  const auto& checked = std::get<Checked>(checked_or);

  const auto id_text = path_user_id ? path_user_id : checked.get("user_id");
  if (!id_text) return missing("user_id");
  UserStatsQuery query;
  auto id = canonical_user_id(*id_text);
  if (!id) return bad_user_id();
  query.user_id = std::move(*id);
  std::optional<BadRequest> error;
  if (!read_date(checked, "date", query.date, error)) return std::move(*error);
  return query;
}

Parsed<GameStatsQuery> parse_game_stats_query(const std::vector<Param>& params) {
  auto checked_or = Checked::make(params, {"date", "country", "group_by", "format"});
  if (auto* error = std::get_if<BadRequest>(&checked_or)) return std::move(*error);
  const auto& checked = std::get<Checked>(checked_or);

  GameStatsQuery query;
  std::optional<BadRequest> error;
  if (!read_date(checked, "date", query.date, error)) return std::move(*error);
  if (!read_country(checked, query.country, error)) return std::move(*error);
  if (const auto group_by = checked.get("group_by")) {
    if (*group_by != "country") return BadRequest{"group_by", "the only grouping is group_by=country"};
    if (query.country) {
      return BadRequest{"country", "country and group_by=country cannot be combined"};
    }
    query.by_country = true;
  }
  if (!read_format(checked, query.format, error)) return std::move(*error);
  return query;
}

Parsed<GameDailyQuery> parse_game_daily_query(const std::vector<Param>& params) {
  auto checked_or = Checked::make(params, {"from", "to", "country", "format"});
  if (auto* error = std::get_if<BadRequest>(&checked_or)) return std::move(*error);
  const auto& checked = std::get<Checked>(checked_or);

  std::optional<DayNumber> from;
  std::optional<DayNumber> to;
  std::optional<BadRequest> error;
  if (!checked.get("from")) return missing("from");
  if (!read_date(checked, "from", from, error)) return std::move(*error);
  if (!checked.get("to")) return missing("to");
  if (!read_date(checked, "to", to, error)) return std::move(*error);
  GameDailyQuery query;
  if (!read_country(checked, query.country, error)) return std::move(*error);
  if (*to < *from) return BadRequest{"to", "must not be before from"};
  if (*to - *from + 1 > kMaxDailyRangeDays) {
    return BadRequest{"to", "the range may span at most " + std::to_string(kMaxDailyRangeDays) + " days"};
  }
  if (!read_format(checked, query.format, error)) return std::move(*error);
  query.from = *from;
  query.to = *to;
  return query;
}

std::optional<BadRequest> check_no_params(const std::vector<Param>& params) {
  auto checked_or = Checked::make(params, {});
  if (auto* error = std::get_if<BadRequest>(&checked_or)) return std::move(*error);
  return std::nullopt;
}

}  // namespace ge::server
