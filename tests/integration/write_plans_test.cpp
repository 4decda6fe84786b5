// The two write plans of etl/generation_writer.hpp must write the same generation: below
// kOneConnectionMaxEvents every table on the load's own connection, above it three COPY lanes
// with transactions and the small tables held in memory until users' COPY ends. Each input is
// loaded once with each plan, in process (LoadOptions::write_plan), into a database of its own,
// and the two live generations are compared: every table's rows, the indexes and constraints,
// and the load reports. Without this, a plan that drops a block, writes a held table twice or
// misses an index would only show when a large integration test happens to look at that table.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "common/db/connection.hpp"
#include "etl/evgen/generator.hpp"
#include "etl/generation_writer.hpp"
#include "etl/load_command.hpp"
#include "etl/table_output.hpp"
#include "scoped_scratch.hpp"
#include "support.hpp"

namespace json = boost::json;
using namespace ge::test;
using ge::WritePlan;

namespace {
struct Input {
  std::string label;               // names the test databases
  std::string events_path;         // as the report names the input
  std::vector<std::string> files;  // what is read
  std::string rates_path;
};

// Columns that differ between two loads of the same input, whatever the plan: which run, and when.
bool differs_by_run(std::string_view table, std::string_view column) {
  return table == "dataset" && (column == "run_id" || column == "loaded_at");
}

// What the live generation of a database holds, as text to compare.
struct LiveGeneration {
  std::vector<std::string> tables;                 // ev_live's tables, sorted
  std::map<std::string, std::string> contents;     // table → columns, row count, md5 of the rows
  std::map<std::string, std::uint64_t> row_bytes;  // table → pg_column_size of its rows
  std::map<std::string, std::string> writers;      // table → xmin of its rows ("" when empty)
  std::string indexes;                             // every index definition, schema names left out
  std::string constraints;
};

std::string value_of(ge::db::Connection& conn, const std::string& sql,
                     const std::vector<std::optional<std::string>>& params = {}) {
  auto result = conn.exec_params(sql, params);
  REQUIRE(result.rows() == 1);
  return std::string(result.value(0, 0));
}

LiveGeneration read_live(const TestDatabase& db) {
  auto conn = db.connect();
  LiveGeneration live;
  auto tables = conn.exec("SELECT tablename FROM pg_tables WHERE schemaname = 'ev_live' ORDER BY tablename");
  for (int row = 0; row < tables.rows(); ++row) live.tables.emplace_back(tables.value(row, 0));
  for (std::string_view name : ge::kTableNames) {
    const std::string table(name);
    auto columns = conn.exec_params(
        "SELECT attname, format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' not null' ELSE '' END "
        "FROM pg_attribute WHERE attrelid = ('ev_live.' || quote_ident($1))::regclass AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum",
        {table});
    std::string select, described;
    for (int row = 0; row < columns.rows(); ++row) {
      const std::string column(columns.value(row, 0));
      described += column + " " + std::string(columns.value(row, 1)) + ", ";
      if (differs_by_run(table, column)) continue;
      select += (select.empty() ? "" : ", ") + ge::db::quote_identifier(column);
    }
    REQUIRE(!select.empty());
    const std::string from = "ev_live." + ge::db::quote_identifier(table);
    // Rows in the order of their text: equal texts are equal rows, so the order is the same
    // whatever order the plan wrote them in.
    std::string digest = "SELECT count(*) || ' rows, md5 ' || ";
    digest += "coalesce(md5(string_agg(r::text, E'\\n' ORDER BY r::text)), '-') FROM (SELECT ";
    digest += select;
    digest += " FROM ";
    digest += from;
    digest += ") r";
    live.contents[table] = described + value_of(conn, digest);
    live.row_bytes[table] =
        std::stoull(value_of(conn, "SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM " + from + " t"));
    live.writers[table] = value_of(conn, "SELECT coalesce(string_agg(DISTINCT xmin::text, ','), '') FROM " + from);
  }
  live.indexes = value_of(conn,
                          "SELECT coalesce(string_agg(tablename || ' ' || indexname || ': ' || "
                          "replace(indexdef, quote_ident(schemaname) || '.', ''), E'\\n' ORDER BY tablename, "
                          "indexname), '') FROM pg_indexes WHERE schemaname = 'ev_live'");
  live.constraints = value_of(conn,
                              "SELECT coalesce(string_agg(r.relname || ' ' || c.conname || ': ' || "
                              "pg_get_constraintdef(c.oid), E'\\n' ORDER BY r.relname, c.conname), '') "
                              "FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid "
                              "JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = 'ev_live'");
  return live;
}

// The plan asked for is the plan that ran: a table's rows carry the transaction that wrote them
// (xmin; COPY … FREEZE keeps it), one for every table on one connection, one per lane with the
// lanes (etl/generation_writer.hpp's kWriterLaneOfTable). Otherwise the test would compare a plan
// with itself.
void require_written_by(const LiveGeneration& live, WritePlan plan) {
  const auto lane_of = [&](std::size_t table) {
    return plan == WritePlan::one_connection ? 0 : ge::kWriterLaneOfTable[table];
  };
  for (std::size_t a = 0; a < ge::kTableCount; ++a) {
    const std::string& writer_a = live.writers.at(std::string(ge::kTableNames[a]));
    INFO("table " << ge::kTableNames[a] << " written by transaction " << writer_a);
    if (writer_a.empty()) continue;
    REQUIRE(writer_a.find(',') == std::string::npos);  // one transaction a table
    for (std::size_t b = 0; b < ge::kTableCount; ++b) {
      const std::string& writer_b = live.writers.at(std::string(ge::kTableNames[b]));
      INFO("table " << ge::kTableNames[b] << " written by transaction " << writer_b);
      if (!writer_b.empty()) REQUIRE((writer_a == writer_b) == (lane_of(a) == lane_of(b)));
    }
  }
}

// A report without what measures or names the run: what the two plans must agree on.
json::object cleaning_of(const std::filesystem::path& report_path) {
  json::object report = read_json(report_path).as_object();
  for (const char* key :
       {"phase_seconds", "seconds_total", "events_per_second", "peak_rss_bytes", "run_id", "generation_schema"}) {
    report.erase(key);
  }
  return report;
}

struct PlanRun {
  json::object report;
  LiveGeneration live;
};

PlanRun load_with(WritePlan plan, const Input& input) {
  const std::string label = input.label + (plan == WritePlan::one_connection ? "_one" : "_lanes");
  TestDatabase db(label);
  const ScopedScratch out("plans-" + label);
  ge::LoadOptions options;
  options.events_path = input.events_path;
  options.events_inputs = input.files;
  options.rates_path = input.rates_path;
  options.database = db.url();
  options.report_path = (out / "report.json").string();
  options.quiet = true;
  options.max_reject_ratio = 1;  // the tiny fixture is mostly rejects by design
  options.write_plan = plan;
  INFO("plan " << (plan == WritePlan::one_connection ? "one connection" : "lanes"));
  REQUIRE(ge::run_load(options) == ge::ExitCode::ok);
  PlanRun run{cleaning_of(out / "report.json"), read_live(db)};
  require_written_by(run.live, plan);
  return run;
}

// Loads input with each plan; returns the one-connection run (the lanes' is the same).
PlanRun require_same_generation(const Input& input) {
  PlanRun one = load_with(WritePlan::one_connection, input);
  const PlanRun lanes = load_with(WritePlan::lanes, input);

  std::vector<std::string> expected_tables(ge::kTableNames.begin(), ge::kTableNames.end());
  std::sort(expected_tables.begin(), expected_tables.end());
  CHECK(one.live.tables == expected_tables);
  CHECK(lanes.live.tables == expected_tables);
  for (std::string_view name : ge::kTableNames) {
    INFO("table " << name);
    CHECK(one.live.contents.at(std::string(name)) == lanes.live.contents.at(std::string(name)));
  }
  CHECK(!one.live.indexes.empty());
  CHECK(one.live.indexes == lanes.live.indexes);
  CHECK(one.live.constraints == lanes.live.constraints);
  INFO("one connection: " << json::serialize(one.report));
  INFO("lanes: " << json::serialize(lanes.report));
  CHECK(one.report.at("accepted").to_number<std::int64_t>() > 0);
  CHECK(one.report == lanes.report);  // accepted, rejected, the counts by reason and by field, the model
  return one;
}
}  // namespace

TEST_CASE("write plans: every fixture gives the same generation on one connection and on three lanes") {
  for (const auto& dir : fixture_dirs()) {
    const std::string fixture = dir.filename().string();
    SECTION("fixture " + fixture) {
      std::string label = "plans_" + fixture;
      std::replace(label.begin(), label.end(), '-', '_');
      const std::string events = (dir / "events.jsonl").string();
      require_same_generation(Input{label, events, {events}, (dir / "exchange_rates.jsonl").string()});
    }
  }
}

TEST_CASE("write plans: held tables of several COPY blocks give the same generation on either plan") {
  const ScopedScratch scratch("plans-generated");
  // evgen over 5,000 days: game_daily and game_cohorts (a row per day and country) of several
  // blocks; with it, synthetic users paying in every session for transactions of several blocks
  // (evgen's users pay in about 1 session of 35). Their event ids start far above evgen's.
  ge::evgen::Options generated;
  generated.users = 20'000;
  generated.days = 5'000;
  generated.daily_growth = 1.0;
  const auto evgen_path = scratch / "evgen.jsonl";
  std::FILE* file = std::fopen(evgen_path.c_str(), "wb");
  REQUIRE(file != nullptr);
  ge::evgen::Generator(generated).write(file);
  REQUIRE(std::fclose(file) == 0);
  const auto paying_path = scratch / "paying.jsonl";
  write_synthetic_events(paying_path, 5'000, 1'000'000'000);
  const auto rates_path = scratch / "exchange_rates.jsonl";
  {
    std::FILE* rates = std::fopen(rates_path.c_str(), "wb");
    REQUIRE(rates != nullptr);
    const std::string_view text = ge::evgen::exchange_rates_jsonl();
    REQUIRE(std::fwrite(text.data(), 1, text.size(), rates) == text.size());
    REQUIRE(std::fclose(rates) == 0);
  }

  const PlanRun one = require_same_generation(Input{
      "plans_generated", scratch.path().string(), {evgen_path.string(), paying_path.string()}, rates_path.string()});
  // The rows' size in the table, which their binary COPY rows exceed (4 bytes of length a field
  // against one 24-byte tuple header, numerics 6 bytes longer): more than this many blocks each.
  const auto blocks = [&](const char* table) {
    return one.live.row_bytes.at(table) / ge::TableOutput::kDefaultBlockBytes;
  };
  CHECK(blocks("transactions") >= 3);
  CHECK(blocks("game_daily") >= 3);
  CHECK(blocks("game_cohorts") >= 2);
  // A real load of it writes with the lanes: the one-connection run is the one forced here.
  CHECK(one.report.at("accepted").to_number<std::uint64_t>() > ge::kOneConnectionMaxEvents);
}
