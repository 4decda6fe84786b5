// The run report: reject tallies, the accounting invariant, the JSON and the summaries.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <string>
#include <vector>

#include "etl/load_report.hpp"

using Catch::Matchers::Contains;
using ge::Field;
using ge::Reason;
using ge::RejectRecord;

namespace {
RejectRecord rec(std::uint64_t line, Reason reason, Field field = Field::none) {
  return RejectRecord{line, 0, false, reason, field};
}

ge::LoadReport tiny_like_report() {
  ge::LoadReport r;
  r.mode = "check";
  r.events_path = "events.jsonl";
  r.lines_total = 52;
  r.blank = 2;
  r.accepted = 18;
  r.model.accepted_by_type = {4, 4, 3, 7};
  r.model.users = 4;
  r.model.paid_users = 2;
  r.model.users_by_country = {{"DE", 1}, {"ES", 1}, {"IT", 1}, {"US", 1}};
  r.model.logins = 8;
  r.model.sessions_all = 8;
  r.model.sessions_closed = 7;
  r.model.sessions_counted = 6;
  r.model.time_spent_seconds = 8261;
  r.model.transactions = 3;
  r.model.first_event = 1273280400;  // 2010-05-08
  r.model.last_event = 1273456800;   // 2010-05-10
  r.revenue_usd = ge::Decimal{8864, 3};
  std::vector<RejectRecord> rejects;
  for (std::uint64_t i = 0; i < 32; ++i) rejects.push_back(rec(i + 3, Reason::not_registered));
  r.tally_rejects(rejects);
  return r;
}
}  // namespace

TEST_CASE("tally_rejects counts by reason and by reason:field") {
  ge::LoadReport report;
  const std::vector<RejectRecord> rejects{
      rec(1, Reason::malformed_json),
      rec(2, Reason::missing_field, Field::event_id),
      rec(3, Reason::missing_field, Field::event_id),
      rec(4, Reason::wrong_type, Field::name),
      rec(5, Reason::invalid_value, Field::country),
      rec(6, Reason::unknown_event_type, Field::event_type),
      rec(7, Reason::duplicate_event_id, Field::event_id),
      rec(8, Reason::not_registered),
      rec(9, Reason::already_registered),
      rec(10, Reason::already_logged_in),
      rec(11, Reason::not_logged_in),
      rec(12, Reason::not_logged_in),
  };
  report.tally_rejects(rejects);
  CHECK(report.rejected == 12);
  CHECK(report.rejected_by_reason == std::array<std::uint64_t, ge::kReasonCount>{1, 2, 1, 1, 1, 1, 1, 1, 1, 2});
  // Only missing_field / wrong_type / invalid_value go by field (the fixture report's rejected_by_field).
  CHECK(report.rejected_by_field == std::map<std::string, std::uint64_t>{{"missing_field:event_id", 2},
                                                                         {"wrong_type:name", 1},
                                                                         {"invalid_value:country", 1}});

  // A second tally replaces the first.
  report.tally_rejects({rec(1, Reason::wrong_type, Field::event_timestamp)});
  CHECK(report.rejected == 1);
  CHECK(report.rejected_by_reason[static_cast<std::size_t>(Reason::not_logged_in)] == 0);
  CHECK(report.rejected_by_field == std::map<std::string, std::uint64_t>{{"wrong_type:event_timestamp", 1}});
}

TEST_CASE("every line is accepted, rejected or blank, the reject ratio") {
  ge::LoadReport r = tiny_like_report();
  CHECK(r.lines_accounted_for());
  CHECK(r.reject_ratio() == Approx(32.0 / 50.0));
  r.blank = 1;
  CHECK_FALSE(r.lines_accounted_for());
  ge::LoadReport empty;
  CHECK(empty.lines_accounted_for());
  CHECK(empty.reject_ratio() == 0.0);
}

TEST_CASE("to_json uses the fixture report's field names") {
  ge::LoadReport r = tiny_like_report();
  r.lines_with_duplicate_keys = 3;
  r.ambiguous_same_key_duplicates = 1;
  r.oversized_lines = 2;
  r.phases = {{"read", 0.5}, {"copy", 1.5}};
  r.seconds_total = 2.0;
  const boost::json::object j = ge::to_json(r);
  CHECK(j.at("mode").as_string() == "check");
  CHECK(j.at("lines_total").to_number<std::uint64_t>() == 52);
  CHECK(j.at("blank").to_number<std::uint64_t>() == 2);
  CHECK(j.at("accepted").to_number<std::uint64_t>() == 18);
  CHECK(j.at("rejected").to_number<std::uint64_t>() == 32);
  const auto& by_reason = j.at("rejected_by_reason").as_object();
  CHECK(by_reason.size() == ge::kReasonCount);  // zeros included
  CHECK(by_reason.at("not_registered").to_number<std::uint64_t>() == 32);
  CHECK(by_reason.at("malformed_json").to_number<std::uint64_t>() == 0);
  CHECK(j.at("rejected_by_field").as_object().empty());
  const auto& by_type = j.at("accepted_by_type").as_object();
  CHECK(by_type.at("registration").to_number<std::uint64_t>() == 4);
  CHECK(by_type.at("login").to_number<std::uint64_t>() == 4);
  CHECK(by_type.at("transaction").to_number<std::uint64_t>() == 3);
  CHECK(by_type.at("logout").to_number<std::uint64_t>() == 7);
  CHECK(j.at("users").to_number<std::uint64_t>() == 4);
  CHECK(j.at("paid_users").to_number<std::uint64_t>() == 2);
  CHECK(j.at("users_by_country").as_object().at("IT").to_number<std::uint64_t>() == 1);
  CHECK(j.at("logins").to_number<std::uint64_t>() == 8);
  CHECK(j.at("sessions_all").to_number<std::uint64_t>() == 8);
  CHECK(j.at("sessions_closed").to_number<std::uint64_t>() == 7);
  CHECK(j.at("sessions_counted").to_number<std::uint64_t>() == 6);
  CHECK(j.at("time_spent_seconds").to_number<std::int64_t>() == 8261);
  CHECK(j.at("transactions").to_number<std::uint64_t>() == 3);
  CHECK(j.at("revenue_usd").to_number<double>() == Approx(8.86));
  CHECK(j.at("revenue_usd_exact").as_string() == "8.864");
  CHECK(j.at("last_data_day").as_string() == "2010-05-10");
  CHECK(j.at("first_event_day").as_string() == "2010-05-08");
  CHECK(j.at("lines_with_duplicate_keys").to_number<std::uint64_t>() == 3);
  CHECK(j.at("ambiguous_same_key_duplicates").to_number<std::uint64_t>() == 1);
  CHECK(j.at("oversized_lines").to_number<std::uint64_t>() == 2);
  CHECK(j.at("phase_seconds").as_object().at("copy").to_number<double>() == Approx(1.5));
  CHECK(j.at("events_per_second").to_number<double>() == Approx(25.0));
  CHECK_FALSE(j.contains("run_id"));
  CHECK_FALSE(j.contains("generation_schema"));
  CHECK_FALSE(j.contains("rejects_path"));

  r.run_id = 7;
  r.generation_schema = "ev_gen_7";
  r.rejects_path = "/tmp/rejected";
  const boost::json::object with_run = ge::to_json(r);
  CHECK(with_run.at("run_id").to_number<std::int64_t>() == 7);
  CHECK(with_run.at("generation_schema").as_string() == "ev_gen_7");
  CHECK(with_run.at("rejects_path").as_string() == "/tmp/rejected");
}

TEST_CASE("revenue is reported rounded half away from zero, the exact sum beside it") {
  ge::LoadReport r;
  r.revenue_usd = ge::Decimal{12345, 3};  // 12.345
  const auto j = ge::to_json(r);
  CHECK(j.at("revenue_usd").to_number<double>() == Approx(12.35));
  CHECK(j.at("revenue_usd_exact").as_string() == "12.345");
}

TEST_CASE("a run without events has null days") {
  const auto j = ge::to_json(ge::LoadReport{});
  CHECK(j.at("last_data_day").is_null());
  CHECK(j.at("first_event_day").is_null());
  CHECK(j.at("events_per_second").to_number<double>() == 0.0);
}

TEST_CASE("summary_line and summary_table") {
  ge::LoadReport r = tiny_like_report();
  r.seconds_total = 1.25;
  const std::string line = ge::summary_line(r, "ok");
  CHECK_THAT(line, Contains("evload status=ok mode=check"));
  CHECK_THAT(line, Contains(" lines=52 accepted=18 rejected=32 blank=2 users=4"));
  CHECK_THAT(line, !Contains("run_id="));
  r.run_id = 12;
  CHECK_THAT(ge::summary_line(r, "failed"), Contains("status=failed mode=check run_id=12 "));

  const std::string table = ge::summary_table(r);
  CHECK_THAT(table, Contains("evload check: events.jsonl"));
  CHECK_THAT(table, Contains("8.86"));
  CHECK_THAT(table, Contains("2010-05-10"));
  CHECK_THAT(table, Contains("not_registered"));
  CHECK_THAT(table, !Contains("malformed_json"));  // reasons with no lines are left out
  CHECK_THAT(ge::summary_table(ge::LoadReport{}), Contains("last data day"));
}

TEST_CASE("peak_rss_bytes reports this process's memory") { CHECK(ge::peak_rss_bytes() > 1024u * 1024u); }
