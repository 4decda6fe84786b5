#include "server/csv_views.hpp"

#include <array>
#include <string_view>

#include "server/csv_text.hpp"

namespace ge::server {
namespace {

constexpr std::array<std::string_view, 10> kGameColumns{
    "daily_active_users",     "logins",    "revenue_usd", "paid_users", "avg_sessions_per_user",
    "avg_time_spent_seconds", "new_users", "payers",      "arpdau_usd", "arppu_usd"};

static_assert(kRetentionDays == std::array<int, 5>{1, 3, 7, 14, 30}, "the header below names these days");
constexpr std::array<std::string_view, 2 + 2 * kRetentionDays.size()> kRetentionColumns{
    "date",        "new_users",    "retained_d1",  "retention_d1",  "retained_d3",  "retention_d3",
    "retained_d7", "retention_d7", "retained_d14", "retention_d14", "retained_d30", "retention_d30"};

void game_header(CsvText& csv) {
  for (const auto column : kGameColumns) csv.field(column);
  csv.end_record();
}

void game_fields(CsvText& csv, const GameStats& s) {
  csv.field(s.daily_active_users).field(s.logins).field(std::string_view(s.revenue_usd.text())).field(s.paid_users);
  csv.field(s.avg_sessions_per_user).field(s.avg_time_spent_seconds);
  csv.field(s.new_users)
      .field(s.payers)
      .field(std::string_view(s.arpdau_usd.text()))
      .field(std::string_view(s.arppu_usd.text()));
}

template <class Row>
std::string labelled_rows(const std::vector<Row>& rows, std::string_view label_column, std::string Row::*label) {
  CsvText csv;
  csv.field(label_column);
  game_header(csv);
  for (const Row& row : rows) {
    csv.field(std::string_view(row.*label));
    game_fields(csv, row.stats);
    csv.end_record();
  }
  return csv.take();
}

}  // namespace

std::string to_csv_text(const GameStats& stats) {
  CsvText csv;
  game_header(csv);
  game_fields(csv, stats);
  csv.end_record();
  return csv.take();
}

std::string to_csv_text(const std::vector<CountryGameStats>& rows) {
  return labelled_rows(rows, "country", &CountryGameStats::country);
}

std::string to_csv_text(const std::vector<DayGameStats>& rows) {
  return labelled_rows(rows, "date", &DayGameStats::date);
}

std::string to_csv_text(const std::vector<RetentionRow>& rows) {
  CsvText csv;
  for (const auto column : kRetentionColumns) csv.field(column);
  csv.end_record();
  for (const RetentionRow& row : rows) {
    csv.field(std::string_view(row.date)).field(row.new_users);
    for (std::size_t k = 0; k < kRetentionDays.size(); ++k) csv.field(row.retained[k]).field(row.retention[k]);
    csv.end_record();
  }
  return csv.take();
}

}  // namespace ge::server
