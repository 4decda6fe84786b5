// SPEC §6: every rejected line is written byte for byte, with its line number and reason.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "etl/rejects_writer.hpp"
#include "unit_support.hpp"

using Catch::Matchers::Contains;
using ge::Field;
using ge::Reason;
using ge::RejectRecord;

namespace {
RejectRecord record(std::uint64_t line, Reason reason, Field field = Field::none,
                    std::optional<std::uint64_t> event_id = std::nullopt) {
  return RejectRecord{line, event_id.value_or(0), event_id.has_value(), reason, field};
}

// Physical lines of content, each without its '\n' (a final newline starts no line).
std::vector<std::string> physical_lines(const std::string& content) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < content.size()) {
    const auto nl = content.find('\n', start);
    if (nl == std::string::npos) {
      lines.push_back(content.substr(start));
      break;
    }
    lines.push_back(content.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}
}  // namespace

TEST_CASE("rejected lines are copied byte for byte: CRLF kept, BOM dropped, a final newline added") {
  ge_test::TempDir dir;
  const std::string events = "\xEF\xBB\xBFnot json\n"                                     // 1: BOM + rejected
                             + ge_test::login(1, ge_test::kDay0, ge_test::kUserA) + "\n"  // 2: accepted
                             + "bad\r\n"                                                  // 3: CRLF, rejected
                             + "  \t\n"                                                   // 4: blank
                             + "{\"event_id\": 5}\n"                                      // 5: rejected, with an id
                             + std::string("\xFC\x00\x01 binary\r\n", 12)  // 6: not UTF-8, a NUL; rejected
                             + "tail";                                     // 7: no final newline, rejected
  const std::string path = dir.write("events.jsonl", events);
  REQUIRE(ge_test::read_file(path) == events);

  std::vector<RejectRecord> rejects{
      record(7, Reason::malformed_json),
      record(1, Reason::malformed_json),
      record(5, Reason::missing_field, Field::event_timestamp, 5),
      record(3, Reason::malformed_json),
      record(6, Reason::malformed_json),
  };
  const auto written = ge::write_rejects(path, rejects, dir.file("rejected.txt"));
  CHECK(written.lines == 5);
  CHECK(written.lines_path == dir.file("rejected.txt"));
  CHECK(written.reasons_path == dir.file("rejected.txt") + ".reasons.csv");
  CHECK(ge_test::read_file(written.lines_path) ==
        "not json\nbad\r\n{\"event_id\": 5}\n" + std::string("\xFC\x00\x01 binary\r\n", 12) + "tail\n");
  CHECK(ge_test::read_file(written.reasons_path) == "file,line_no,event_id,reason,detail\n" + path +
                                                        ",1,,malformed_json,\n" + path + ",3,,malformed_json,\n" +
                                                        path + ",5,5,missing_field,event_timestamp\n" + path +
                                                        ",6,,malformed_json,\n" + path + ",7,,malformed_json,\n");
  // The records are left sorted by line.
  CHECK(rejects.front().line == 1);
  CHECK(rejects.back().line == 7);
}

TEST_CASE("the reasons file names the event id and field where there is one") {
  ge_test::TempDir dir;
  const std::string path = dir.write("events.jsonl", "a\nb\nc\nd\n");
  std::vector<RejectRecord> rejects{
      record(1, Reason::duplicate_event_id, Field::event_id, 42),
      record(2, Reason::not_registered, Field::none, 9223372036854775807ULL),
      record(3, Reason::unknown_event_type, Field::event_type, 0),
      record(4, Reason::invalid_value, Field::transaction_currency, 18),
  };
  const auto written = ge::write_rejects(path, rejects, dir.file("r"));
  CHECK(ge_test::read_file(dir.file("r")) == "a\nb\nc\nd\n");
  CHECK(ge_test::read_file(written.reasons_path) ==
        "file,line_no,event_id,reason,detail\n" + path + ",1,42,duplicate_event_id,event_id\n" + path +
            ",2,9223372036854775807,not_registered,\n" + path + ",3,0,unknown_event_type,event_type\n" + path +
            ",4,18,invalid_value,transaction_currency\n");
}

TEST_CASE("a BOM is dropped only when whole, a partial BOM is data") {
  ge_test::TempDir dir;
  std::vector<RejectRecord> rejects{record(1, Reason::malformed_json)};
  SECTION("partial BOM followed by text") {
    const auto path = dir.write("e.jsonl", "\xEF\xBBx\n");
    ge::write_rejects(path, rejects, dir.file("r"));
    CHECK(ge_test::read_file(dir.file("r")) == "\xEF\xBBx\n");
  }
  SECTION("a BOM on line 2 is data") {
    const auto path = dir.write("e.jsonl", "\xEF\xBB\xBF{}\n\xEF\xBB\xBFy\n");
    std::vector<RejectRecord> second{record(2, Reason::malformed_json)};
    ge::write_rejects(path, second, dir.file("r"));
    CHECK(ge_test::read_file(dir.file("r")) == "\xEF\xBB\xBFy\n");
  }
  SECTION("a file that is only a partial BOM: its bytes are the rejected line") {
    // LineReader reads line 1 as "\xEF\xBB" (not blank, not JSON: malformed_json).
    const auto path = dir.write("e.jsonl", "\xEF\xBB");
    const auto result = ge_test::run_pipeline_file(path, ge_test::shipped_rates());
    REQUIRE(result.lines == 1);
    REQUIRE(result.at(1) == "malformed_json");
    ge::write_rejects(path, rejects, dir.file("r"));
    CHECK(ge_test::read_file(dir.file("r")) == "\xEF\xBB\n");
    const auto one_byte = dir.write("e1.jsonl", "\xEF");
    ge::write_rejects(one_byte, rejects, dir.file("r1"));
    CHECK(ge_test::read_file(dir.file("r1")) == "\xEF\n");
  }
  SECTION("a file that is a BOM and one rejected line") {
    const auto path = dir.write("e.jsonl", "\xEF\xBB\xBFx");
    ge::write_rejects(path, rejects, dir.file("r"));
    CHECK(ge_test::read_file(dir.file("r")) == "x\n");
  }
}

TEST_CASE("lines longer than the copy buffer and lines across its boundary are copied whole") {
  ge_test::TempDir dir;
  const std::string first(1048576 - 10, 'a');  // accepted: the next line straddles the 1 MiB boundary
  const std::string second = "{\"straddles\": \"" + std::string(100, 'b') + "\"}";
  const std::string third(3 * 1048576 + 7, 'c');
  const std::string fourth = "short\r";
  const auto path = dir.write("e.jsonl", first + "\n" + second + "\n" + third + "\n" + fourth + "\n");
  std::vector<RejectRecord> rejects{record(2, Reason::malformed_json), record(3, Reason::malformed_json),
                                    record(4, Reason::malformed_json)};
  const auto written = ge::write_rejects(path, rejects, dir.file("r"));
  CHECK(written.lines == 3);
  const std::string got = ge_test::read_file(dir.file("r"));
  CHECK(got.size() == second.size() + third.size() + fourth.size() + 3);
  CHECK(got == second + "\n" + third + "\n" + fourth + "\n");
}

TEST_CASE("no rejects: an empty lines file and a header-only reasons file") {
  ge_test::TempDir dir;
  const auto path = dir.write("e.jsonl", "x\ny\n");
  std::vector<RejectRecord> none;
  const auto written = ge::write_rejects(path, none, dir.file("r"));
  CHECK(written.lines == 0);
  CHECK(ge_test::read_file(dir.file("r")).empty());
  CHECK(ge_test::read_file(written.reasons_path) == "file,line_no,event_id,reason,detail\n");
}

TEST_CASE("I/O failures are errors naming the file") {
  ge_test::TempDir dir;
  const auto path = dir.write("e.jsonl", "x\n");
  std::vector<RejectRecord> rejects{record(1, Reason::malformed_json)};
  CHECK_THROWS_WITH(ge::write_rejects(path, rejects, dir.file("no/such/dir/r")), Contains("no/such/dir/r"));
  CHECK_THROWS_WITH(ge::write_rejects(dir.file("missing.jsonl"), rejects, dir.file("r")), Contains("missing.jsonl"));
}

TEST_CASE("the fixtures' rejected lines, copied from the pipeline's records") {
  for (const std::string name : {"tiny", "small", "nordeus-like"}) {
    INFO("fixture " << name);
    const std::string events_path = std::string(GE_FIXTURES_DIR) + "/" + name + "/events.jsonl";
    const auto rates = ge::ExchangeRates::load(std::string(GE_FIXTURES_DIR) + "/" + name + "/exchange_rates.jsonl");
    auto result = ge_test::run_pipeline_file(events_path, rates);
    REQUIRE_FALSE(result.rejects.empty());
    if (name == "tiny") CHECK(result.rejects.size() == 32);
    ge_test::TempDir dir;
    const auto written = ge::write_rejects(events_path, result.rejects, dir.file("rejected"));
    CHECK(written.lines == result.rejects.size());

    const auto input = physical_lines(ge_test::read_file(events_path));
    REQUIRE(input.size() == result.lines);
    const auto output = physical_lines(ge_test::read_file(dir.file("rejected")));
    REQUIRE(output.size() == result.rejects.size());
    const auto reasons = physical_lines(ge_test::read_file(written.reasons_path));
    REQUIRE(reasons.size() == result.rejects.size() + 1);
    CHECK(reasons[0] == "file,line_no,event_id,reason,detail");
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < result.rejects.size(); ++i) {
      const auto& r = result.rejects[i];  // sorted by write_rejects
      if (i > 0) CHECK(result.rejects[i - 1].line < r.line);
      std::string want = input[r.line - 1];
      if (r.line == 1 && want.rfind("\xEF\xBB\xBF", 0) == 0) want.erase(0, 3);
      mismatches += output[i] != want;
      mismatches += reasons[i + 1] != events_path + "," + std::to_string(r.line) + "," +
                                          (r.has_event_id ? std::to_string(r.event_id) : "") + "," +
                                          std::string(ge::to_string(r.reason)) + "," +
                                          std::string(ge::to_string(r.field));
    }
    CHECK(mismatches == 0);
  }
}
