// issue 12: --events takes several files, directories and glob patterns, gzip and zstd recognised
// by their content; the union of the files is one dataset (one global order, one dedupe).
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include <boost/json.hpp>

#include "live_digest.hpp"
#include "support.hpp"
#include "tests/support/compress.hpp"

namespace json = boost::json;
using namespace ge::test;

namespace {
using ge_test_support::gzip;
using ge_test_support::zstd;

void write(const std::filesystem::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  REQUIRE(out.good());
}

// The physical lines of a file as SPEC §1.1 numbers them, each with its '\n' (the last may lack it).
std::vector<std::string> lines_of(const std::string& content) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < content.size()) {
    auto end = content.find('\n', start);
    end = end == std::string::npos ? content.size() : end + 1;
    lines.push_back(content.substr(start, end - start));
    start = end;
  }
  return lines;
}

std::string joined(const std::vector<std::string>& lines, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t i = begin; i < end; ++i) out += lines[i];
  return out;
}

// A report without what names the inputs or measures the run: what must be equal between the
// union of parts and the whole file.
json::object cleaning_of(const std::filesystem::path& report_path) {
  json::object report = read_json(report_path).as_object();
  for (const char* key : {"events_path", "inputs", "phase_seconds", "seconds_total", "events_per_second",
                          "peak_rss_bytes", "rejects_path", "run_id", "generation_schema"}) {
    report.erase(key);
  }
  return report;
}

// file,line_no,event_id,reason,detail rows → (position in the whole, "event_id,reason,detail"),
// given each file's first line's number in the whole.
std::vector<std::pair<std::uint64_t, std::string>> rejects_in_whole(
    const std::filesystem::path& csv, const std::map<std::string, std::uint64_t>& offset) {
  std::istringstream in(read_file(csv));
  std::string row;
  std::getline(in, row);
  REQUIRE(row == "file,line_no,event_id,reason,detail");
  std::vector<std::pair<std::uint64_t, std::string>> rows;
  while (std::getline(in, row)) {
    const auto first = row.find(',');
    const auto second = row.find(',', first + 1);
    const std::string file = row.substr(0, first);
    REQUIRE(offset.count(file) == 1);
    rows.emplace_back(offset.at(file) + std::stoull(row.substr(first + 1, second - first - 1)), row.substr(second + 1));
  }
  return rows;
}

struct Outcome {
  int exit_code = -1;
  std::string output;
  json::object cleaning;
  json::object report;
};

Outcome check(const std::vector<std::string>& events, const std::string& rates, const std::filesystem::path& out,
              const std::string& name) {
  std::vector<std::string> args{"check", "--events"};
  args.insert(args.end(), events.begin(), events.end());
  for (const std::string& extra :
       {std::string("--rates"), rates, std::string("--report"), (out / (name + ".json")).string(),
        std::string("--rejects"), (out / (name + ".rejects")).string(), std::string("-q"),
        // the tiny fixture rejects most lines on purpose: the reject gate is not under test
        std::string("--max-reject-ratio"), std::string("1")}) {
    args.push_back(extra);
  }
  const auto result = run_evload(args);
  Outcome outcome{result.exit_code, result.output, {}, {}};
  if (std::filesystem::exists(out / (name + ".json"))) {
    outcome.cleaning = cleaning_of(out / (name + ".json"));
    outcome.report = read_json(out / (name + ".json")).as_object();
  }
  return outcome;
}
}  // namespace

TEST_CASE("inputs: one user's events spread across several files load exactly as one file") {
  const auto dir = scratch_dir("spread");
  const auto fixture = fixtures_dir() / "small";
  const std::string rates = (fixture / "exchange_rates.jsonl").string();
  // Every user's events dealt round-robin over three files (gzip, zstd, plain): registrations,
  // logins and their logouts, duplicate ids, land in different files, in and out of time order.
  const auto lines = lines_of(read_file(fixture / "events.jsonl"));
  std::string parts[3];
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = lines[i];
    if (line.back() != '\n') line += '\n';
    if (i == 0 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    parts[i % 3] += line;
  }
  const auto a = dir / "a.jsonl.gz", b = dir / "b.jsonl.zst", c = dir / "c.jsonl", whole = dir / "whole.jsonl";
  write(a, gzip(parts[0]));
  write(b, zstd(parts[1]));
  write(c, parts[2]);
  write(whole, parts[0] + parts[1] + parts[2]);
  const std::map<std::string, std::uint64_t> offsets{
      {a.string(), 0}, {b.string(), lines_of(parts[0]).size()}, {c.string(), lines_of(parts[0] + parts[1]).size()}};

  const Outcome split = check({a.string(), b.string(), c.string()}, rates, dir, "split");
  const Outcome one = check({whole.string()}, rates, dir, "whole");
  INFO(split.output << one.output);
  REQUIRE(split.exit_code == 0);
  REQUIRE(one.exit_code == 0);
  REQUIRE(split.report.at("rejected").to_number<std::int64_t>() > 0);
  REQUIRE(split.report.at("rejected_by_reason").as_object().at("duplicate_event_id").to_number<std::int64_t>() > 0);
  CHECK(split.cleaning == one.cleaning);
  CHECK(rejects_in_whole(dir / "split.rejects.reasons.csv", offsets) ==
        rejects_in_whole(dir / "whole.rejects.reasons.csv", {{whole.string(), 0}}));
  // The rejected lines themselves, in the union's order, decompressed.
  CHECK(read_file(dir / "split.rejects") == read_file(dir / "whole.rejects"));
  // The report lists every file with its bytes and lines.
  const auto& inputs = split.report.at("inputs").as_array();
  REQUIRE(inputs.size() == 3);
  CHECK(inputs[0].as_object().at("path").as_string() == a.string());
  CHECK(inputs[0].as_object().at("compression").as_string() == "gzip");
  CHECK(inputs[1].as_object().at("compression").as_string() == "zstd");
  CHECK(inputs[2].as_object().at("compression").as_string() == "none");
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(inputs[i].as_object().at("lines").to_number<std::uint64_t>() == lines_of(parts[i]).size());
    CHECK(inputs[i].as_object().at("content_bytes").to_number<std::uint64_t>() == parts[i].size());
  }
  CHECK(inputs[0].as_object().at("bytes").to_number<std::uint64_t>() == std::filesystem::file_size(a));

  // Loaded into PostgreSQL, the same tables as the one file.
  TestDatabase db("spread");
  REQUIRE(run_evload({"load", "--events", a.string(), b.string(), c.string(), "--rates", rates, "--db", db.url(), "-q"})
              .exit_code == 0);
  auto from_parts = live_digest(db.url());
  REQUIRE(run_evload({"load", "--events", whole.string(), "--rates", rates, "--db", db.url(), "-q"}).exit_code == 0);
  auto from_whole = live_digest(db.url());
  from_parts.run_id = from_whole.run_id = "";
  CHECK(from_parts == from_whole);
}

TEST_CASE("inputs: every fixture split into three compressed parts gives the fixture's report") {
  for (const auto& fixture : fixture_dirs()) {
    const std::string name = fixture.filename().string();
    SECTION("fixture " + name) {
      const auto dir = scratch_dir("thirds-" + name);
      const std::string rates = (fixture / "exchange_rates.jsonl").string();
      const std::string content = read_file(fixture / "events.jsonl");
      const auto lines = lines_of(content);
      const std::size_t cut1 = lines.size() / 3, cut2 = 2 * lines.size() / 3;
      // The first part keeps the file's BOM (if any) as its own first bytes; the gzip one is
      // named .jsonl: the content, not the name, says it is compressed.
      const auto p1 = dir / "part-1.jsonl", p2 = dir / "part-2.jsonl.zst", p3 = dir / "part-3.jsonl.gz";
      write(p1, gzip(joined(lines, 0, cut1)));
      write(p2, zstd(joined(lines, cut1, cut2)));
      write(p3, gzip(joined(lines, cut2, lines.size())));
      const Outcome parts = check({p1.string(), p2.string(), p3.string()}, rates, dir, "parts");
      const Outcome whole = check({(fixture / "events.jsonl").string()}, rates, dir, "whole");
      INFO(parts.output << whole.output);
      REQUIRE(parts.exit_code == whole.exit_code);
      CHECK(parts.cleaning == whole.cleaning);
      // And the fixture's expected figures, those the report shares with it.
      const json::object expected = read_json(fixture / "report.json").as_object();
      for (const char* key : {"lines_total", "accepted", "rejected", "blank", "users", "transactions"}) {
        if (expected.contains(key)) CHECK(parts.report.at(key) == expected.at(key));
      }
      const std::map<std::string, std::uint64_t> offsets{{p1.string(), 0}, {p2.string(), cut1}, {p3.string(), cut2}};
      CHECK(rejects_in_whole(dir / "parts.rejects.reasons.csv", offsets) ==
            rejects_in_whole(dir / "whole.rejects.reasons.csv", {{(fixture / "events.jsonl").string(), 0}}));
    }
  }
}

TEST_CASE("inputs: compressed files and directories and glob patterns and their failures") {
  const auto dir = scratch_dir("inputs");
  const auto tiny = fixtures_dir() / "tiny";
  const std::string rates = (tiny / "exchange_rates.jsonl").string();
  const std::string events = read_file(tiny / "events.jsonl");
  const Outcome plain = check({(tiny / "events.jsonl").string()}, rates, dir, "plain");
  REQUIRE(plain.exit_code == 0);

  SECTION("a gzip file named .jsonl reads as its content") {
    write(dir / "events.jsonl", gzip(events));
    const Outcome got = check({(dir / "events.jsonl").string()}, rates, dir, "gz");
    INFO(got.output);
    REQUIRE(got.exit_code == 0);
    CHECK(got.cleaning == plain.cleaning);
    CHECK(got.report.at("inputs").as_array()[0].as_object().at("compression").as_string() == "gzip");
    CHECK(read_file(dir / "gz.rejects") == read_file(dir / "plain.rejects"));
  }
  SECTION("a .zst file") {
    write(dir / "events.jsonl.zst", zstd(events));
    const Outcome got = check({(dir / "events.jsonl.zst").string()}, rates, dir, "zst");
    INFO(got.output);
    REQUIRE(got.exit_code == 0);
    CHECK(got.cleaning == plain.cleaning);
  }
  SECTION("concatenated gzip members read as one stream, as zcat reads them") {
    const auto half = lines_of(events).size() / 2;
    const auto lines = lines_of(events);
    write(dir / "cat.jsonl.gz", gzip(joined(lines, 0, half)) + gzip(joined(lines, half, lines.size())));
    const Outcome got = check({(dir / "cat.jsonl.gz").string()}, rates, dir, "cat");
    REQUIRE(got.exit_code == 0);
    CHECK(got.cleaning == plain.cleaning);
  }
  SECTION("an empty compressed file adds nothing; alone, it is a run without events") {
    write(dir / "empty.jsonl.gz", gzip(""));
    write(dir / "empty.jsonl.zst", zstd(""));
    const Outcome with_empty =
        check({(dir / "empty.jsonl.gz").string(), (tiny / "events.jsonl").string(), (dir / "empty.jsonl.zst").string()},
              rates, dir, "with-empty");
    REQUIRE(with_empty.exit_code == 0);
    CHECK(with_empty.cleaning == plain.cleaning);
    CHECK(with_empty.report.at("inputs").as_array()[0].as_object().at("lines").to_number<int>() == 0);
    const Outcome alone = check({(dir / "empty.jsonl.gz").string()}, rates, dir, "alone");
    CHECK(alone.exit_code == 4);
    CHECK_THAT(alone.output, Catch::Contains("no event was accepted"));
  }
  SECTION("a directory: its *.jsonl* files, sorted by name; a glob pattern: its matches, sorted") {
    const auto days = dir / "days";
    std::filesystem::create_directories(days);
    const auto lines = lines_of(events);
    const std::size_t third = lines.size() / 3;
    write(days / "events-2010-05-10.jsonl.zst", zstd(joined(lines, 2 * third, lines.size())));
    write(days / "events-2010-05-08.jsonl.gz", gzip(joined(lines, 0, third)));
    write(days / "events-2010-05-09.jsonl", joined(lines, third, 2 * third));
    write(days / "README.txt", "not events\n");
    std::filesystem::create_directories(days / "sub.jsonl.d");
    const Outcome by_dir = check({days.string()}, rates, dir, "dir");
    INFO(by_dir.output);
    REQUIRE(by_dir.exit_code == 0);
    CHECK(by_dir.cleaning == plain.cleaning);
    const auto& inputs = by_dir.report.at("inputs").as_array();
    REQUIRE(inputs.size() == 3);
    CHECK(inputs[0].as_object().at("path").as_string() == (days / "events-2010-05-08.jsonl.gz").string());
    CHECK(inputs[2].as_object().at("path").as_string() == (days / "events-2010-05-10.jsonl.zst").string());
    const Outcome by_glob = check({(days / "events-2010-05-*").string()}, rates, dir, "glob");
    REQUIRE(by_glob.exit_code == 0);
    CHECK(by_glob.cleaning == plain.cleaning);
  }
  SECTION("a glob pattern that matches no file is a usage error; an empty directory is bad input") {
    auto result = run_evload({"check", "--events", (dir / "nothing-*.jsonl.gz").string(), "--rates", rates});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Catch::Contains("matches no file") && Catch::Contains("nothing-*.jsonl.gz"));
    std::filesystem::create_directories(dir / "void");
    result = run_evload({"check", "--events", (dir / "void").string(), "--rates", rates});
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.output, Catch::Contains("no *.jsonl* file"));
  }
  SECTION("a truncated or corrupt compressed file is bad input naming the file and offset; nothing goes live") {
    TestDatabase db("truncated");
    REQUIRE(run_evload({"load", "--events", (tiny / "events.jsonl").string(), "--rates", rates, "--db", db.url(), "-q",
                        "--max-reject-ratio", "1"})
                .exit_code == 0);
    const std::string live = db.scalar("SELECT run_id FROM ev_live.dataset");
    const std::string compressed = gzip(events);
    write(dir / "cut.jsonl.gz", compressed.substr(0, compressed.size() / 2));
    auto result = run_evload({"load", "--events", (tiny / "events.jsonl").string(), (dir / "cut.jsonl.gz").string(),
                              "--rates", rates, "--db", db.url(), "-q", "--max-reject-ratio", "1"});
    INFO(result.output);
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.output, Catch::Contains("cut.jsonl.gz") && Catch::Contains("truncated gzip") &&
                                  Catch::Contains("offset " + std::to_string(compressed.size() / 2)));
    CHECK(db.scalar("SELECT run_id FROM ev_live.dataset") == live);
    CHECK(db.scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ev\\_gen\\_%'") == "0");
    CHECK(db.scalar("SELECT status FROM evmeta.load_runs ORDER BY run_id DESC LIMIT 1") == "failed");

    std::string corrupt = compressed;
    for (std::size_t i = 20; i < 60 && i < corrupt.size(); ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
    write(dir / "bad.jsonl.gz", corrupt);
    result = run_evload({"check", "--events", (dir / "bad.jsonl.gz").string(), "--rates", rates, "-q"});
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.output, Catch::Contains("bad.jsonl.gz") && Catch::Contains("corrupt gzip"));

    const std::string z = zstd(events);
    write(dir / "cut.jsonl.zst", z.substr(0, z.size() - 5));
    result = run_evload({"check", "--events", (dir / "cut.jsonl.zst").string(), "--rates", rates, "-q"});
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.output, Catch::Contains("cut.jsonl.zst") && Catch::Contains("truncated zstd"));
  }
}
