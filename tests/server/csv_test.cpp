// format=csv: RFC 4180 fields and records, and the CSV form of every tabular answer.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "server/csv_text.hpp"
#include "server/csv_views.hpp"
#include "server/reply.hpp"
#include "tests/server/sample_rows.hpp"

using namespace ge::server;

TEST_CASE("csv fields are quoted only when RFC 4180 needs it", "[csv]") {
  CHECK(csv_field("DE") == "DE");
  CHECK(csv_field("").empty());
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\r\nlines") == "\"two\r\nlines\"");
  CHECK(csv_field("line\n") == "\"line\n\"");
  CHECK(csv_field("Zo\u00eb") == "Zo\u00eb");  // UTF-8 passes through
}

TEST_CASE("csv records end with CRLF, numbers as in JSON, nulls are empty fields", "[csv]") {
  CsvText csv;
  csv.field("date").field("n").field("x").end_record();
  csv.field("2010-05-08").field(std::int64_t{3}).field(0.3333).end_record();
  csv.field("a,b").field(std::optional<std::int64_t>{}).field(std::optional<double>{}).end_record();
  csv.field(0.0).field(1578.85).field(100000.0).end_record();
  csv.end_record();  // an empty record is not written
  CHECK(csv.text() == "date,n,x\r\n2010-05-08,3,0.3333\r\n\"a,b\",,\r\n0.0,1578.85,100000.0\r\n");
}

TEST_CASE("csv views: a header row with the JSON keys in order, one record per row", "[csv]") {
  const GameStats g{4,
                    8,
                    *ge::DecimalText::parse("8.86"),
                    2,
                    1.5,
                    2065.25,
                    3,
                    1,
                    *ge::DecimalText::parse("2.2150"),
                    *ge::DecimalText::parse("8.8600")};
  const std::string header =
      "daily_active_users,logins,revenue_usd,paid_users,avg_sessions_per_user,avg_time_spent_seconds,"
      "new_users,payers,arpdau_usd,arppu_usd\r\n";
  CHECK(to_csv_text(g) == header + "4,8,8.86,2,1.5,2065.25,3,1,2.215,8.86\r\n");
  CHECK(to_csv_text(std::vector<CountryGameStats>{{"DE", g}, {"ES", GameStats{}}}) ==
        "country," + header + "DE,4,8,8.86,2,1.5,2065.25,3,1,2.215,8.86\r\nES,0,0,0.0,0,0.0,0.0,0,0,0.0,0.0\r\n");
  CHECK(to_csv_text(std::vector<DayGameStats>{}) == "date," + header);

  CHECK(to_csv_text(test::sample_retention_rows()) ==
        "date,new_users,retained_d1,retention_d1,retained_d3,retention_d3,retained_d7,retention_d7,"
        "retained_d14,retention_d14,retained_d30,retention_d30\r\n"
        "2010-05-08,3,1,0.3333,0,0.0,,,,,,\r\n"
        "2010-05-09,0,0,,,,,,,,,\r\n");
}

TEST_CASE("csv replies are text/csv downloads with a safe file name", "[csv]") {
  const Reply reply = csv_reply("a\r\n");
  CHECK(reply.status == http::status::ok);
  CHECK(reply.content_type == "text/csv; charset=utf-8");
  CHECK(attachment_disposition("game-daily_2010-05-08_2010-05-22_DE.csv") ==
        "attachment; filename=\"game-daily_2010-05-08_2010-05-22_DE.csv\"");
  CHECK(attachment_disposition("a\"b\\c\r.csv") == "attachment; filename=\"a_b_c_.csv\"");
}
