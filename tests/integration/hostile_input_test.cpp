// Hostile events and rates files (issue 5), each with its exact expected outcome. The verdicts
// come from SPEC §1.1 and docs/cleaning.md; the big files are made here, in a scratch directory
// removed at the end, never committed.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "hostile_load.hpp"

using namespace ge::test;

namespace {
// No small case below holds more than a few MiB in any one place.
constexpr std::uint64_t kSmallCaseRss = 32 * kMiB;

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (std::size_t i = 0; i < times; ++i) out.append(piece);
  return out;
}

// Writes `bytes` bytes of `fill` (then `tail`) without holding them: the file is bigger than
// what the test should hold.
void write_filler(std::ofstream& out, char fill, std::uint64_t bytes) {
  const std::string piece(kMiB, fill);
  for (; bytes >= kMiB; bytes -= kMiB) out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
  out.write(piece.data(), static_cast<std::streamsize>(bytes));
}
}  // namespace

TEST_CASE("hostile input: a 512 MiB file without a newline") {
  HostileLoad load("h512");
  const auto events = load.dir() / "endless.jsonl";
  {
    std::ofstream out(events, std::ios::binary);
    write_filler(out, 'x', 512 * kMiB);
    REQUIRE(out.flush());
  }
  // One line, over --max-line-bytes: malformed_json, skipped by the reader without being held,
  // yet copied whole to the rejects file. Memory: the line buffer grows to the limit (briefly
  // beside its previous half) and each of the two reading threads has a read chunk.
  Expectation expect;
  expect.exit_code = kNoEventsExit;  // its only line is rejected
  expect.lines = 1;
  expect.oversized = 1;
  expect.by_reason = {{"malformed_json", 1}};
  expect.reasons_rows = "1,,malformed_json,\n";
  load.check(events, expect, kDefaultMaxLineBytes * 3 / 2 + 2 * kReadChunkBytes + 16 * kMiB);
}

TEST_CASE("hostile input: a 100 MiB single line") {
  HostileLoad load("h100");
  const auto events = load.dir() / "long-line.jsonl";
  constexpr std::uint64_t kNameBytes = 100 * kMiB;
  {
    std::ofstream out(events, std::ios::binary);
    out << registration_line(1, 1) << "\n";
    const std::string line = registration_line("2", 2, "@NAME@");
    const auto at = line.find("@NAME@");
    out << line.substr(0, at);
    write_filler(out, 'n', kNameBytes);
    out << line.substr(at + 6) << "\n" << registration_line(3, 3) << "\n";
    REQUIRE(out.flush());
  }
  SECTION("over the default --max-line-bytes: malformed_json, never held, its neighbours loaded") {
    Expectation expect;
    expect.lines = 3;
    expect.accepted = 2;
    expect.oversized = 1;
    expect.by_reason = {{"malformed_json", 1}};
    expect.reasons_rows = "2,,malformed_json,\n";
    load.check(events, expect, kDefaultMaxLineBytes * 3 / 2 + 2 * kReadChunkBytes + 16 * kMiB);
  }
  SECTION("under a raised --max-line-bytes: parsed, and its 100 MiB name is an invalid_value") {
    constexpr std::uint64_t kLimit = 128 * kMiB;
    Expectation expect;
    expect.lines = 3;
    expect.accepted = 2;
    expect.by_reason = {{"invalid_value", 1}};
    expect.by_field = {{"invalid_value:name", 1}};
    expect.reasons_rows = "2,2,invalid_value,name\n";
    // The buffer (≤ 1.5 × the limit while it grows) plus simdjson's unescaped copy of the name.
    load.check(events, expect, kLimit * 3 / 2 + kNameBytes + 2 * kReadChunkBytes + 16 * kMiB,
               {"--max-line-bytes", std::to_string(kLimit)});
  }
}

TEST_CASE("hostile input: NUL bytes inside lines") {
  HostileLoad load("hnul");
  using namespace std::string_literals;
  // JSON text has no raw NUL anywhere (only the escape \u0000, which cleaning.md covers).
  const std::string content = registration_line("1", 1, "A\0B"s) + "\n" +  // in a string
                              registration_line(2, 2) + "\0\n"s +          // after the object
                              "\0\0\0\n"s +                                // nothing but NULs
                              "\0"s + registration_line(4, 4) + "\n" +     // before the object
                              registration_line(5, 5) + "\n";
  Expectation expect;
  expect.lines = 5;
  expect.accepted = 1;
  expect.by_reason = {{"malformed_json", 4}};
  expect.reasons_rows = "1,,malformed_json,\n2,,malformed_json,\n3,,malformed_json,\n4,,malformed_json,\n";
  load.check(load.write("nul.jsonl", content), expect, kSmallCaseRss);
}

TEST_CASE("hostile input: invalid UTF-8") {
  HostileLoad load("hutf8");
  // SPEC §1.1: invalid UTF-8 anywhere in the line makes it malformed_json, before any field is
  // looked at (line 7 would otherwise be missing_field).
  const std::string content = registration_line("1", 1, "\xff") + "\n" +              // never a UTF-8 byte
                              registration_line("2", 2, "\xc0\x80") + "\n" +          // overlong NUL
                              registration_line("3", 3, "\xed\xa0\x80") + "\n" +      // a surrogate, encoded
                              registration_line("4", 4, "\xf4\x90\x80\x80") + "\n" +  // past U+10FFFF
                              registration_line("5", 5, "ab\xe2\x82") + "\n" +        // cut short
                              registration_line("6", 6, "A", ", \"extra\": \"\xfe\"") +
                              "\n" +  // in a field nobody reads
                              "{\"event_id\": 7, \"x\": \"\x80\"}\n" +
                              registration_line("8", 8, "Zo\xc3\xab \xf0\x9f\x98\x80") + "\n";  // valid: Zoë 😀
  Expectation expect;
  expect.lines = 8;
  expect.accepted = 1;
  expect.by_reason = {{"malformed_json", 7}};
  for (int line = 1; line <= 7; ++line) expect.reasons_rows += std::to_string(line) + ",,malformed_json,\n";
  load.check(load.write("utf8.jsonl", content), expect, kSmallCaseRss);
  CHECK(load.db().scalar("SELECT name FROM ev_live.users") == "Zo\xc3\xab \xf0\x9f\x98\x80");
}

TEST_CASE("hostile input: a truncated last line") {
  HostileLoad load("htrunc");
  const std::string cut = registration_line(2, 2).substr(0, 70);  // mid-JSON, no final newline
  Expectation expect;
  expect.lines = 2;
  expect.accepted = 1;
  expect.by_reason = {{"malformed_json", 1}};
  expect.reasons_rows = "2,,malformed_json,\n";
  load.check(load.write("cut.jsonl", registration_line(1, 1) + "\n" + cut), expect, kSmallCaseRss);
  // Cut inside a multi-byte character: the same verdict.
  load.check(load.write("cut-utf8.jsonl", registration_line(1, 1) + "\n" + registration_line("2", 2, "\xf0\x9f")),
             expect, kSmallCaseRss);
}

TEST_CASE("hostile input: a UTF-8 BOM") {
  HostileLoad load("hbom");
  const std::string bom = "\xEF\xBB\xBF";
  SECTION("at the start of the file it is ignored; anywhere else it is data") {
    Expectation expect;
    expect.lines = 3;
    expect.accepted = 1;
    expect.by_reason = {{"malformed_json", 2}};
    expect.reasons_rows = "2,,malformed_json,\n3,,malformed_json,\n";
    load.check(load.write("bom.jsonl", bom + registration_line(1, 1) + "\n" + bom + registration_line(2, 2) + "\n" +
                                           registration_line(3, 3) + bom + "\n"),
               expect, kSmallCaseRss);
  }
  SECTION("a rejected line 1 is copied without the BOM; a partial BOM is data") {
    Expectation expect;
    expect.exit_code = kNoEventsExit;  // no line of these files is an event
    expect.lines = 1;
    expect.by_reason = {{"missing_field", 1}};
    expect.by_field = {{"missing_field:event_timestamp", 1}};
    expect.reasons_rows = "1,5,missing_field,event_timestamp\n";
    load.check(load.write("bom-rejected.jsonl", bom + "{\"event_id\": 5}\n"), expect, kSmallCaseRss);

    Expectation partial;
    partial.exit_code = kNoEventsExit;
    partial.lines = 1;
    partial.by_reason = {{"malformed_json", 1}};
    partial.reasons_rows = "1,,malformed_json,\n";
    load.check(load.write("bom-partial.jsonl", "\xEF\xBB" + registration_line(1, 1) + "\n"), partial, kSmallCaseRss);
  }
  SECTION("a BOM then a blank line, and a file that is only a BOM") {
    Expectation expect;
    expect.lines = 2;
    expect.blank = 1;
    expect.accepted = 1;
    load.check(load.write("bom-blank.jsonl", bom + " \r\n" + registration_line(1, 1) + "\n"), expect, kSmallCaseRss);
    Expectation only;
    only.exit_code = kNoEventsExit;
    only.lines = 1;
    only.blank = 1;
    load.check(load.write("bom-only.jsonl", bom), only, kSmallCaseRss);
  }
}

TEST_CASE("hostile input: CRLF line endings") {
  HostileLoad load("hcrlf");
  // One trailing \r is dropped (SPEC §1.1); more \r before it are JSON whitespace; a \r inside
  // a line is no line end. A rejected line is copied with its \r: byte for byte.
  const std::string content = registration_line(1, 1) + "\r\n" +                                   // accepted
                              "\r\n" + " \t\r\r\n" +                                               // blank, blank
                              registration_line(4, 4) + "\r\r\n" +                                 // accepted
                              registration_line(5, 5) + "\r" + registration_line(6, 6) + "\r\n" +  // malformed
                              "{\"event_id\": 7}\r\n" +                                            // missing_field
                              transaction_line(8, 1, "4.99") + "\r";  // last, no \n: accepted
  Expectation expect;
  expect.lines = 7;
  expect.blank = 2;
  expect.accepted = 3;
  expect.by_reason = {{"malformed_json", 1}, {"missing_field", 1}};
  expect.by_field = {{"missing_field:event_timestamp", 1}};
  expect.reasons_rows = "5,,malformed_json,\n6,7,missing_field,event_timestamp\n";
  load.check(load.write("crlf.jsonl", content), expect, kSmallCaseRss);
  CHECK(load.db().scalar("SELECT count(*) FROM ev_live.transactions") == "1");
}

TEST_CASE("hostile input: a million copies of one event") {
  HostileLoad load("hdup");
  constexpr std::uint64_t kCopies = 1000000;
  const auto events = load.dir() / "copies.jsonl";
  const std::string line = registration_line(1, 1) + "\n";
  Expectation expect;
  expect.lines = kCopies;
  expect.accepted = 1;
  expect.by_reason = {{"duplicate_event_id", kCopies - 1}};
  {
    std::ofstream out(events, std::ios::binary);
    for (std::uint64_t i = 0; i < kCopies; ++i) out << line;
    REQUIRE(out.flush());
  }
  // SPEC §2.4: the first in (timestamp, type, id, line) order keeps the id, so line 1.
  expect.reasons_rows.reserve(kCopies * 32);
  for (std::uint64_t n = 2; n <= kCopies; ++n)
    expect.reasons_rows += std::to_string(n) + ",1,duplicate_event_id,event_id\n";
  // Every copy is held until the duplicates are found: 32 bytes per event, 24 per reject (a
  // vector that doubles: up to twice that while it grows), and the order step's sort.
  const auto report = load.check(events, expect, kCopies * (32 + 2 * 24 + 32) + kSmallCaseRss);
  CHECK(report.at("users").as_int64() == 1);
}

TEST_CASE("hostile input: deep JSON nesting") {
  HostileLoad load("hdeep");
  auto nested = [](std::size_t depth) { return ", \"x\": " + repeat("[", depth) + repeat("]", depth); };
  // simdjson's limit is 1024 levels, the event object being level 1 (docs/cleaning.md).
  const std::string content = registration_line("1", 1, "A", nested(1023)) + "\n" +  // 1024 levels: accepted
                              registration_line("2", 2, "A", nested(1024)) + "\n" +  // 1025: malformed
                              registration_line("3", 3, "A", nested(100000)) + "\n" + repeat("[", 1000000) +
                              "\n" +  // never closed
                              repeat("{\"a\":", 500000) + "1" + repeat("}", 500000) + "\n";
  Expectation expect;
  expect.lines = 5;
  expect.accepted = 1;
  expect.by_reason = {{"malformed_json", 4}};
  expect.reasons_rows = "2,,malformed_json,\n3,,malformed_json,\n4,,malformed_json,\n5,,malformed_json,\n";
  load.check(load.write("deep.jsonl", content), expect, kSmallCaseRss);
}

TEST_CASE("hostile input: numbers past int64") {
  HostileLoad load("hnum");
  const std::string lines[] = {
      registration_line("9223372036854775807", 1),                    // 1: 2^63 - 1, the largest id: accepted
      registration_line("9223372036854775808", 2),                    // 2: 2^63
      registration_line("18446744073709551616", 3),                   // 3: 2^64
      registration_line("-9223372036854775809", 4),                   // 4: below int64
      registration_line("1e400", 5),                                  // 5: a float, and too big for a double
      registration_line("1" + std::string(5000, '0'), 6),             // 6: 5001 digits
      registration_line("\"99999999999999999999\"", 7),               // 7: a string
      registration_line("8", 8, "A", "", "99999999999999999999999"),  // 8: a timestamp past int64
      transaction_line(9, 9, "1e400"),                                // 9
      transaction_line(10, 10, "-1e400"),                             // 10
      transaction_line(11, 11, "1e-400"),                             // 11: rounds to 0
      registration_line("12", 12, "A",
                        ", \"x\": 123456789012345678901234567890"),  // 12: a field nobody reads: accepted
      registration_line("13", 13, "A", ", \"x\": -1e99999"),         // 13: accepted
  };
  std::string content;
  for (const auto& line : lines) content += line + "\n";
  Expectation expect;
  expect.lines = 13;
  expect.accepted = 3;
  expect.by_reason = {{"invalid_value", 8}, {"wrong_type", 2}};
  expect.by_field = {{"invalid_value:event_id", 4},
                     {"invalid_value:event_timestamp", 1},
                     {"invalid_value:transaction_amount", 3},
                     {"wrong_type:event_id", 2}};
  expect.reasons_rows =
      "2,,invalid_value,event_id\n3,,invalid_value,event_id\n4,,invalid_value,event_id\n5,,wrong_type,event_id\n"
      "6,,invalid_value,event_id\n7,,wrong_type,event_id\n8,8,invalid_value,event_timestamp\n"
      "9,9,invalid_value,transaction_amount\n10,10,invalid_value,transaction_amount\n"
      "11,11,invalid_value,transaction_amount\n";
  load.check(load.write("numbers.jsonl", content), expect, kSmallCaseRss);
  CHECK(load.db().scalar("SELECT count(*) FROM ev_live.users") == "3");
}

TEST_CASE("hostile input: empty and blank-only files") {
  HostileLoad load("hempty");
  const std::string live_users = load.db().scalar("SELECT count(*) FROM ev_live.users");
  REQUIRE(live_users != "0");
  // Nothing to load is almost always a broken export: the run fails (exit 4, status no_events),
  // every line still accounted for, and the live data stays.
  Expectation empty;
  empty.exit_code = kNoEventsExit;
  const auto empty_file = load.write("empty.jsonl", "");
  load.check(empty_file, empty, kSmallCaseRss);
  Expectation blank;
  blank.exit_code = kNoEventsExit;
  blank.lines = 4;
  blank.blank = 4;
  const auto blank_file = load.write("blank.jsonl", "\n \n\t\r\n\r");
  load.check(blank_file, blank, kSmallCaseRss);
  CHECK(load.db().scalar("SELECT count(*) FROM ev_live.users") == live_users);
  CHECK(load.db().scalar(
            "SELECT count(*) FROM evmeta.load_runs WHERE status = 'failed' AND error LIKE 'no events: %'") == "2");
  // The summary line says why, for cron mail, and the error says what to do.
  const auto run = run_evload_measured(load.args(empty_file, "summary"));
  INFO(run.output);
  CHECK(run.exit_code == kNoEventsExit);
  CHECK_THAT(run.output, Catch::Contains("evload status=no_events mode=load"));
  CHECK_THAT(run.output, Catch::Contains("--allow-empty"));

  // Asked for, an empty dataset goes live.
  load.check(empty_file, Expectation{}, kSmallCaseRss, {"--allow-empty"});
  CHECK(load.db().scalar("SELECT count(*) FROM ev_live.users") == "0");
  blank.exit_code = 0;
  load.check(blank_file, blank, kSmallCaseRss, {"--allow-empty"});

  // Every line rejected: --allow-empty lets it go live, and the reject limits still apply.
  Expectation garbage;
  garbage.lines = 2;
  garbage.by_reason = {{"malformed_json", 2}};
  garbage.reasons_rows = "1,,malformed_json,\n2,,malformed_json,\n";
  const auto garbage_file = load.write("garbage.jsonl", "{\n[\n");
  load.check(garbage_file, garbage, kSmallCaseRss, {"--allow-empty"});
  garbage.exit_code = kNoEventsExit;
  load.check(garbage_file, garbage, kSmallCaseRss, {"--allow-empty", "--max-rejects", "1"});
}

TEST_CASE("hostile input: a missing events file") {
  HostileLoad load("hmissing");
  const std::string live_run = load.db().scalar("SELECT run_id FROM ev_live.dataset");
  for (const auto& events : {load.dir() / "absent.jsonl", load.dir()}) {  // no file; a directory
    const auto run = run_evload_measured(load.args(events, "missing"));
    INFO(run.output);
    REQUIRE(run.signal == 0);
    REQUIRE(run.exit_code == 3);
    CHECK_THAT(run.output, Catch::Contains(events.string()));
    CHECK_FALSE(std::filesystem::exists(load.dir() / "missing.rejects"));
    CHECK(load.db().scalar("SELECT run_id FROM ev_live.dataset") == live_run);
    CHECK(load.db().scalar("SELECT count(*) FROM ev_live.users") == "4");
    CHECK(load.db().scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ev\\_gen\\_%'") == "0");
  }
}

TEST_CASE("hostile input: --rejects with the events on standard input") {
  HostileLoad load("hstdin");
  // The rejects are a second pass over the file; reopening "-" would read a file of that name.
  const auto run = run_evload_measured(load.args("-", "stdin"));
  INFO(run.output);
  REQUIRE(run.signal == 0);
  CHECK(run.exit_code == 2);  // a usage error, before anything is read
  CHECK_THAT(run.output, Catch::Contains("standard input cannot be read twice"));
  CHECK_FALSE(std::filesystem::exists(load.dir() / "stdin.rejects"));
}

TEST_CASE("hostile input: malformed rates files") {
  HostileLoad load("hrates");
  const std::string live_run = load.db().scalar("SELECT run_id FROM ev_live.dataset");
  const std::string runs = load.db().scalar("SELECT count(*) FROM evmeta.load_runs");
  struct RatesCase {
    std::string content;
    std::string says;  // what the message names besides the file
  };
  using namespace std::string_literals;
  const std::string usd = "{\"currency\": \"USD\", \"rate_to_usd\": \"1\"}\n";
  const RatesCase cases[] = {
      {usd + "not json\n", ":2: not valid JSON"},
      {usd + "[1, 2]\n", ":2: not a JSON object"},
      {usd + "{\"rate_to_usd\": \"1\"}\n", ":2: \"currency\" missing"},
      {usd + "{\"currency\": \"EUR\"}\n", ":2: \"rate_to_usd\" missing"},
      {usd + "{\"currency\": \"EUR\", \"rate_to_usd\": \"0\"}\n", ":2: \"rate_to_usd\" must be positive"},
      {usd + "{\"currency\": \"EUR\", \"rate_to_usd\": -1.3}\n", ":2: \"rate_to_usd\" -1.3 is not"},
      {usd + "{\"currency\": \"EUR\", \"rate_to_usd\": \"1e3\"}\n", ":2: \"rate_to_usd\" 1e3 is not"},
      {usd + "{\"currency\": \"EUR\", \"rate_to_usd\": \"1234567890.1234567890\"}\n", ":2: \"rate_to_usd\""},
      {usd + "{\"currency\": \"EUR\", \"rate_to_usd\": true}\n", ":2: \"rate_to_usd\" must be a string or a number"},
      {usd + usd, ":2: currency USD is listed twice"},
      {usd + "{\"currency\": \"E\xffR\", \"rate_to_usd\": \"1.3\"}\n", ":2: not valid JSON"},
      {usd + "{\"currency\": \"EUR\", \"rate_to_usd\": \"1.3\"}\0\n"s, ":2: not valid JSON"},
      {usd + "{\"currency\": \"EUR\", \"rate_to_usd\": \"1.3\"", ":2: not valid JSON"},  // truncated
      {"", ": no exchange rates in the file"},
      {"\n \r\n", ": no exchange rates in the file"},
      {std::string(2 * kMiB, ' ') + usd, " is larger than 1 MiB"},
  };
  int n = 0;
  for (const auto& c : cases) {
    const auto rates = load.write("rates" + std::to_string(++n) + ".jsonl", c.content);
    auto args = load.args(fixtures_dir() / "small" / "events.jsonl", "rates");
    args[4] = rates.string();  // --rates
    const auto run = run_evload_measured(args);
    INFO("case " << n << ": " << run.output);
    REQUIRE(run.signal == 0);
    CHECK(run.exit_code == 3);
    CHECK_THAT(run.output, Catch::Contains(rates.string() + c.says));
    if (!kSanitizedBuild) CHECK(run.peak_rss_bytes <= load.baseline_rss() + kSmallCaseRss);
  }
  // Fatal before the database is touched: no run recorded, the live data unchanged.
  CHECK(load.db().scalar("SELECT count(*) FROM evmeta.load_runs") == runs);
  CHECK(load.db().scalar("SELECT run_id FROM ev_live.dataset") == live_run);
  CHECK(load.db().scalar("SELECT count(*) FROM ev_live.users") == "4");
  // No file at all, and a directory.
  for (const auto& rates : {load.dir() / "absent-rates.jsonl", load.dir()}) {
    auto args = load.args(fixtures_dir() / "small" / "events.jsonl", "rates");
    args[4] = rates.string();
    const auto run = run_evload_measured(args);
    INFO(run.output);
    CHECK(run.exit_code == 3);
    CHECK_THAT(run.output, Catch::Contains(rates.string()));
  }
}
