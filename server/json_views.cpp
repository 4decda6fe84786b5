#include "server/json_views.hpp"

#include <boost/json/parse.hpp>

namespace ge::server {
namespace {

template <class T>
boost::json::value optional_value(const std::optional<T>& value) {
  if (!value) return nullptr;
  return boost::json::value(*value);
}

void add_game_fields(boost::json::object& out, const GameStats& s) {
  out["daily_active_users"] = s.daily_active_users;
  out["logins"] = s.logins;
  out["revenue_usd"] = s.revenue_usd;
  out["paid_users"] = s.paid_users;
  out["avg_sessions_per_user"] = s.avg_sessions_per_user;
  out["avg_time_spent_seconds"] = s.avg_time_spent_seconds;
}

}  // namespace

boost::json::object to_json(const UserStats& s) {
  boost::json::object out;
  out["user_id"] = s.user_id;
  out["name"] = optional_value(s.name);
  out["country"] = s.country;
  out["logins"] = s.logins;
  out["days_since_last_login"] = optional_value(s.days_since_last_login);
  out["sessions"] = s.sessions;
  out["time_spent_seconds"] = s.time_spent_seconds;
  out["device_os"] = s.device_os;
  out["marketing_campaign"] = optional_value(s.marketing_campaign);
  out["registered_at"] = s.registered_at;
  out["transactions"] = s.transactions;
  out["revenue_usd"] = s.revenue_usd;
  return out;
}

boost::json::object to_json(const GameStats& stats) {
  boost::json::object out;
  add_game_fields(out, stats);
  return out;
}

boost::json::array to_json(const std::vector<CountryGameStats>& rows) {
  boost::json::array out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    boost::json::object item;
    item["country"] = row.country;
    add_game_fields(item, row.stats);
    out.push_back(std::move(item));
  }
  return out;
}

boost::json::array to_json(const std::vector<DayGameStats>& rows) {
  boost::json::array out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    boost::json::object item;
    item["date"] = row.date;
    add_game_fields(item, row.stats);
    out.push_back(std::move(item));
  }
  return out;
}

boost::json::object to_json(const DatasetInfo& info) {
  boost::json::object out;
  out["run_id"] = info.run_id;
  out["loaded_at"] = info.loaded_at;
  out["first_event_day"] = optional_value(info.first_event_day);
  out["last_data_day"] = optional_value(info.last_data_day);
  return out;
}

boost::json::object to_json(const LoadRun& run) {
  boost::json::object out;
  out["run_id"] = run.run_id;
  out["status"] = run.status;
  out["started_at"] = run.started_at;
  out["finished_at"] = optional_value(run.finished_at);
  out["events_path"] = run.events_path;
  out["events_bytes"] = optional_value(run.events_bytes);
  out["rates_path"] = run.rates_path;
  out["generation_schema"] = run.generation_schema;
  out["evload_version"] = run.evload_version;
  if (run.report_json) {
    boost::system::error_code ec;
    boost::json::value report = boost::json::parse(*run.report_json, ec);
    out["report"] = ec ? boost::json::value(*run.report_json) : std::move(report);
  } else {
    out["report"] = nullptr;
  }
  out["error"] = optional_value(run.error);
  return out;
}

}  // namespace ge::server
