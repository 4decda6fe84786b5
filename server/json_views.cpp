#include "server/json_views.hpp"

#include <boost/json/parse.hpp>

#include <array>

#include "common/json_text.hpp"

namespace ge::server {
namespace {

template <class T>
boost::json::value optional_value(const std::optional<T>& value) {
  if (!value) return nullptr;
  return boost::json::value(*value);
}

// Members are written in order; each key comes with its quotes, colon and leading comma.
void key(std::string& out, std::string_view quoted_key) {
  if (out.back() != '{') out += ',';
  out += quoted_key;
}

void member(std::string& out, std::string_view quoted_key, std::string_view text) {
  key(out, quoted_key);
  append_json_string(out, text);
}

void member(std::string& out, std::string_view quoted_key, const std::optional<std::string>& text) {
  key(out, quoted_key);
  if (text)
    append_json_string(out, *text);
  else
    out += "null";
}

void member(std::string& out, std::string_view quoted_key, std::int64_t value) {
  key(out, quoted_key);
  append_json_integer(out, value);
}

void member(std::string& out, std::string_view quoted_key, const std::optional<std::int64_t>& value) {
  key(out, quoted_key);
  if (value)
    append_json_integer(out, *value);
  else
    out += "null";
}

void member(std::string& out, std::string_view quoted_key, const DecimalText& value) {
  key(out, quoted_key);
  out += value.text();
}

void member(std::string& out, std::string_view quoted_key, double value) {
  key(out, quoted_key);
  append_json_number(out, value);
}

void member(std::string& out, std::string_view quoted_key, const std::optional<double>& value) {
  key(out, quoted_key);
  if (value)
    append_json_number(out, *value);
  else
    out += "null";
}

void game_members(std::string& out, const GameStats& s) {
  member(out, R"("daily_active_users":)", s.daily_active_users);
  member(out, R"("logins":)", s.logins);
  member(out, R"("revenue_usd":)", s.revenue_usd);
  member(out, R"("paid_users":)", s.paid_users);
  member(out, R"("avg_sessions_per_user":)", s.avg_sessions_per_user);
  member(out, R"("avg_time_spent_seconds":)", s.avg_time_spent_seconds);
  member(out, R"("new_users":)", s.new_users);
  member(out, R"("payers":)", s.payers);
  member(out, R"("arpdau_usd":)", s.arpdau_usd);
  member(out, R"("arppu_usd":)", s.arppu_usd);
}

// "retained_d1", "retention_d1", … in kRetentionDays order.
static_assert(kRetentionDays == std::array<int, 5>{1, 3, 7, 14, 30}, "the keys below name these days");
constexpr std::array<std::string_view, kRetentionDays.size()> kRetainedKeys{
    R"("retained_d1":)", R"("retained_d3":)", R"("retained_d7":)", R"("retained_d14":)", R"("retained_d30":)"};
constexpr std::array<std::string_view, kRetentionDays.size()> kRetentionKeys{
    R"("retention_d1":)", R"("retention_d3":)", R"("retention_d7":)", R"("retention_d14":)", R"("retention_d30":)"};

template <class Row>
std::string rows_text(const std::vector<Row>& rows, std::string_view quoted_label_key, std::string Row::*label) {
  std::string out;
  out.reserve(16 + rows.size() * 200);
  out += '[';
  for (const Row& row : rows) {
    if (out.size() > 1) out += ',';
    out += '{';
    member(out, quoted_label_key, std::string_view(row.*label));
    game_members(out, row.stats);
    out += '}';
  }
  out += ']';
  return out;
}

}  // namespace

std::string to_json_text(const UserStats& s) {
  std::string out;
  out.reserve(400);
  out += '{';
  member(out, R"("user_id":)", std::string_view(s.user_id));
  member(out, R"("name":)", s.name);
  member(out, R"("country":)", std::string_view(s.country));
  member(out, R"("logins":)", s.logins);
  member(out, R"("days_since_last_login":)", s.days_since_last_login);
  member(out, R"("sessions":)", s.sessions);
  member(out, R"("time_spent_seconds":)", s.time_spent_seconds);
  member(out, R"("device_os":)", std::string_view(s.device_os));
  member(out, R"("marketing_campaign":)", s.marketing_campaign);
  member(out, R"("registered_at":)", std::string_view(s.registered_at));
  member(out, R"("transactions":)", s.transactions);
  member(out, R"("revenue_usd":)", s.revenue_usd);
  out += '}';
  return out;
}

std::string to_json_text(const GameStats& stats) {
  std::string out;
  out.reserve(200);
  out += '{';
  game_members(out, stats);
  out += '}';
  return out;
}

std::string to_json_text(const std::vector<CountryGameStats>& rows) {
  return rows_text(rows, R"("country":)", &CountryGameStats::country);
}

std::string to_json_text(const std::vector<DayGameStats>& rows) {
  return rows_text(rows, R"("date":)", &DayGameStats::date);
}

std::string to_json_text(const std::vector<RetentionRow>& rows) {
  std::string out;
  out.reserve(16 + rows.size() * 300);
  out += '[';
  for (const RetentionRow& row : rows) {
    if (out.size() > 1) out += ',';
    out += '{';
    member(out, R"("date":)", std::string_view(row.date));
    member(out, R"("new_users":)", row.new_users);
    for (std::size_t k = 0; k < kRetentionDays.size(); ++k) {
      member(out, kRetainedKeys[k], row.retained[k]);
      member(out, kRetentionKeys[k], row.retention[k]);
    }
    out += '}';
  }
  out += ']';
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

std::string to_json_text(const LoadRun& run) {
  boost::json::object fields = to_json(run);
  if (!run.report_json || !fields.at("report").is_object()) return to_json_text(fields);
  const boost::json::value error = fields.at("error");
  fields.erase("report");
  fields.erase("error");
  std::string out = to_json_text(fields);
  out.pop_back();  // the closing brace
  out += R"(,"report":)";
  out += *run.report_json;  // valid JSON: it parsed above
  out += R"(,"error":)";
  append_json_text(out, error);
  out += '}';
  return out;
}

}  // namespace ge::server
