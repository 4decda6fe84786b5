// SPEC §1.1 line rules: numbering, blank lines, CRLF, the BOM, the final newline, long lines.
#include <catch2/catch.hpp>

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "etl/line_reader.hpp"
#include "unit_support.hpp"

using Catch::Matchers::Contains;

namespace {
struct Got {
  std::uint64_t number;
  std::string text;
  bool oversized;
  bool blank;
  bool operator==(const Got&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Got& g) {
  return os << "{" << g.number << ", \"" << g.text << "\", " << (g.oversized ? "oversized" : "-") << ", "
            << (g.blank ? "blank" : "-") << "}";
}

std::vector<Got> read_all(const std::string& path, std::size_t max_line, std::size_t chunk) {
  ge::LineReader reader(path, max_line, chunk);
  std::vector<Got> out;
  ge::Line line;
  while (reader.next(line)) out.push_back({line.number, std::string(line.text), line.oversized, line.blank()});
  CHECK_FALSE(reader.next(line));  // stays at the end
  return out;
}

// The lines of content, read with every chunk size from 1 byte up (lines then span buffers).
std::vector<Got> read_content(const std::string& content, std::size_t max_line = ge::LineReader::kDefaultMaxLineBytes) {
  ge_test::TempDir dir;
  const auto path = dir.write("events.jsonl", content);
  auto reference = read_all(path, max_line, ge::LineReader::kDefaultChunkBytes);
  for (std::size_t chunk : {1u, 2u, 3u, 5u, 8u, 13u, 64u}) {
    INFO("chunk " << chunk);
    CHECK(read_all(path, max_line, chunk) == reference);
  }
  return reference;
}
}  // namespace

TEST_CASE("lines are numbered from 1, a final newline does not start a line") {
  CHECK(read_content("a\nb\n") == std::vector<Got>{{1, "a", false, false}, {2, "b", false, false}});
  CHECK(read_content("a\nb") == std::vector<Got>{{1, "a", false, false}, {2, "b", false, false}});
  CHECK(read_content("").empty());
  CHECK(read_content("\n") == std::vector<Got>{{1, "", false, true}});
  CHECK(read_content("\n\n") == std::vector<Got>{{1, "", false, true}, {2, "", false, true}});
  CHECK(read_content("x") == std::vector<Got>{{1, "x", false, false}});
}

TEST_CASE("blank lines hold only spaces, tabs and CR, and are numbered") {
  const auto got = read_content("{}\n   \n\t \t\n\r\n \r \r\n\n{}\n \x0b\n\f\n");
  REQUIRE(got.size() == 9);
  CHECK(got[0] == Got{1, "{}", false, false});
  CHECK(got[1] == Got{2, "   ", false, true});
  CHECK(got[2] == Got{3, "\t \t", false, true});
  CHECK(got[3] == Got{4, "", false, true});
  CHECK(got[4] == Got{5, " \r ", false, true});  // only the trailing \r is stripped; inner \r is still blank
  CHECK(got[5] == Got{6, "", false, true});
  CHECK(got[6] == Got{7, "{}", false, false});
  CHECK(got[7].blank == false);  // a vertical tab is not blank
  CHECK(got[8].blank == false);  // nor a form feed
}

TEST_CASE("Line::blank") {
  CHECK(ge::Line{1, "", false}.blank());
  CHECK(ge::Line{1, " \t\r", false}.blank());
  CHECK_FALSE(ge::Line{1, " x ", false}.blank());
  CHECK_FALSE(ge::Line{1, "\n", false}.blank());
  CHECK_FALSE(ge::Line{1, "", true}.blank());  // an oversized line is never blank
}

TEST_CASE("CRLF: one trailing CR is stripped, others are kept") {
  CHECK(read_content("a\r\nb\r\n") == std::vector<Got>{{1, "a", false, false}, {2, "b", false, false}});
  CHECK(read_content("a\r\r\n") == std::vector<Got>{{1, "a\r", false, false}});
  CHECK(read_content("a\rb\n") == std::vector<Got>{{1, "a\rb", false, false}});
  CHECK(read_content("a\r") == std::vector<Got>{{1, "a", false, false}});  // last line without newline
  CHECK(read_content("\r") == std::vector<Got>{{1, "", false, true}});
}

TEST_CASE("a UTF-8 BOM is skipped on line 1 only") {
  CHECK(read_content("\xEF\xBB\xBF{}\n{}\n") == std::vector<Got>{{1, "{}", false, false}, {2, "{}", false, false}});
  CHECK(read_content("\xEF\xBB\xBF\n{}") == std::vector<Got>{{1, "", false, true}, {2, "{}", false, false}});
  CHECK(read_content("\xEF\xBB\xBF{}\r\n") == std::vector<Got>{{1, "{}", false, false}});
  CHECK(read_content("\xEF\xBB\xBF") == std::vector<Got>{{1, "", false, true}});
  // On line 2 it is data.
  CHECK(read_content("{}\n\xEF\xBB\xBF{}\n") ==
        std::vector<Got>{{1, "{}", false, false}, {2, "\xEF\xBB\xBF{}", false, false}});
  // Only one BOM is skipped.
  CHECK(read_content("\xEF\xBB\xBF\xEF\xBB\xBF{}") == std::vector<Got>{{1, "\xEF\xBB\xBF{}", false, false}});
  // A partial BOM is no BOM.
  CHECK(read_content("\xEF\xBBx\n") == std::vector<Got>{{1, "\xEF\xBBx", false, false}});
}

TEST_CASE("lines longer than the buffer, across chunk boundaries") {
  std::string content;
  std::vector<Got> expected;
  for (std::uint64_t i = 1; i <= 60; ++i) {
    std::string text((i * 7) % 41, static_cast<char>('a' + i % 26));
    if (i % 5 == 0) text.clear();
    content += text + (i % 3 == 0 ? "\r\n" : "\n");
    expected.push_back({i, text, false, text.empty()});
  }
  content += "tail";
  expected.push_back({61, "tail", false, false});
  CHECK(read_content(content) == expected);
}

TEST_CASE("a line longer than max_line_bytes is reported oversized and skipped") {
  const std::string exactly10 = "0123456789";
  const std::string huge(100000, 'y');
  const auto got = read_content("short\n" + std::string(11, 'x') + "\n" + exactly10 + "\n" + huge + "\nafter\n", 10);
  REQUIRE(got.size() == 5);
  CHECK(got[0] == Got{1, "short", false, false});
  CHECK(got[1] == Got{2, "", true, false});
  CHECK(got[2] == Got{3, exactly10, false, false});
  CHECK(got[3] == Got{4, "", true, false});
  CHECK(got[4] == Got{5, "after", false, false});

  // An oversized last line without a newline, and one right at the start.
  CHECK(read_content(huge, 10) == std::vector<Got>{{1, "", true, false}});
  CHECK(read_content(huge + "\n" + huge, 10) == std::vector<Got>{{1, "", true, false}, {2, "", true, false}});
}

TEST_CASE("bytes_consumed and file_size account for every byte") {
  ge_test::TempDir dir;
  const std::string content = "\xEF\xBB\xBF{}\r\n\n" + std::string(500, 'z') + "\nlast";
  const auto path = dir.write("e.jsonl", content);
  for (std::size_t max_line : {std::size_t{100}, ge::LineReader::kDefaultMaxLineBytes}) {
    ge::LineReader reader(path, max_line, 16);
    CHECK(reader.file_size() == content.size());
    ge::Line line;
    std::uint64_t lines = 0;
    while (reader.next(line)) ++lines;
    CHECK(lines == 4);
    CHECK(reader.bytes_consumed() == content.size());
  }
}

TEST_CASE("a line handed out can be parsed in place (padding follows it)") {
  ge_test::TempDir dir;
  const std::string event = ge_test::login(1, ge_test::kDay0, ge_test::kUserA);
  const auto path = dir.write("e.jsonl", event + "\r\n" + event);
  const auto rates = ge_test::shipped_rates();
  ge::EventParser parser(rates);
  for (std::size_t chunk : {7u, 64u, 4096u}) {
    ge::LineReader reader(path, ge::LineReader::kDefaultMaxLineBytes, chunk);
    ge::Line line;
    int accepted = 0;
    while (reader.next(line)) accepted += parser.parse(line.text).accepted;
    CHECK(accepted == 2);
  }
}

TEST_CASE("a missing file or a directory is an error naming the path") {
  ge_test::TempDir dir;
  CHECK_THROWS_WITH(ge::LineReader(dir.file("nope.jsonl")), Contains("nope.jsonl"));
  CHECK_THROWS_AS(ge::LineReader(dir.path().string()), std::runtime_error);
}

TEST_CASE("byte ranges split a file at a line boundary, each half numbers from 1") {
  ge_test::TempDir dir;
  std::string content = "\xEF\xBB\xBF";
  for (int i = 0; i < 50; ++i) content += "line " + std::to_string(i) + (i % 2 ? "\r\n" : "\n");
  const auto path = dir.write("e.jsonl", content);
  const auto whole = read_all(path, ge::LineReader::kDefaultMaxLineBytes, 64);
  REQUIRE(whole.size() == 50);
  CHECK(whole[0].text == "line 0");

  const std::uint64_t split = ge::next_line_start(path, content.size() / 2);
  REQUIRE(split > 0);
  REQUIRE(split < content.size());
  CHECK(content[split - 1] == '\n');
  std::vector<Got> joined;
  std::uint64_t first_count = 0;
  {
    ge::LineReader first(path, ge::LineReader::ByteRange{0, split}, ge::LineReader::kDefaultMaxLineBytes, 16);
    ge::Line line;
    while (first.next(line)) joined.push_back({line.number, std::string(line.text), line.oversized, line.blank()});
    first_count = joined.size();
    CHECK(first.bytes_consumed() == split);
  }
  {
    ge::LineReader second(path, ge::LineReader::ByteRange{split, content.size() - split},
                          ge::LineReader::kDefaultMaxLineBytes, 16);
    ge::Line line;
    bool first_line = true;
    while (second.next(line)) {
      if (first_line) CHECK(line.number == 1);
      first_line = false;
      joined.push_back({line.number + first_count, std::string(line.text), line.oversized, line.blank()});
    }
  }
  CHECK(joined == whole);
}

TEST_CASE("next_line_start finds the offset after the next newline") {
  ge_test::TempDir dir;
  const auto path = dir.write("e.jsonl", "abc\ndef\nghi");
  CHECK(ge::next_line_start(path, 0) == 4);
  CHECK(ge::next_line_start(path, 1) == 4);
  CHECK(ge::next_line_start(path, 3) == 4);
  CHECK(ge::next_line_start(path, 4) == 8);
  CHECK(ge::next_line_start(path, 9) == 11);  // no newline: the file size
  CHECK(ge::next_line_start(path, 11) == 11);
}

namespace {
std::uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}
}  // namespace

TEST_CASE("an oversized line is skipped without being held in memory") {
  ge_test::TempDir dir;
  const std::string path = dir.file("huge.jsonl");
  constexpr std::size_t kPiece = 1u << 20;
  constexpr int kPieces = 96;  // a 96 MiB line
  {
    std::ofstream out(path, std::ios::binary);
    out << "first\n";
    const std::string piece(kPiece, 'h');
    for (int i = 0; i < kPieces; ++i) out << piece;
    out << "\nlast\n";
  }
  ge::LineReader reader(path, 1u << 20, 1u << 16);
  ge::Line line;
  REQUIRE(reader.next(line));
  CHECK(line.text == "first");
  const std::uint64_t before = resident_bytes();
  REQUIRE(reader.next(line));
  CHECK(line.oversized);
  CHECK(line.number == 2);
  const std::uint64_t after = resident_bytes();
  CHECK(after < before + (16u << 20));  // far less than the 96 MiB line
  REQUIRE(reader.next(line));
  CHECK(line.text == "last");
  CHECK(line.number == 3);
  CHECK_FALSE(reader.next(line));
  CHECK(reader.bytes_consumed() == 6 + kPiece * kPieces + 6);
}

TEST_CASE("the line buffer never grows past max_line_bytes + 1, whatever the line") {
  ge_test::TempDir dir;
  const std::string path = dir.file("endless.jsonl");
  constexpr std::size_t kMaxLine = 300000;  // not a power of two times the chunk
  constexpr std::size_t kChunk = 4096;
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(kMaxLine, 'a') << "\n" << std::string(5 * kMaxLine, 'b');  // the last has no newline
  }
  ge::LineReader reader(path, kMaxLine, kChunk);
  ge::Line line;
  REQUIRE(reader.next(line));
  CHECK_FALSE(line.oversized);  // exactly the limit is allowed
  CHECK(line.text.size() == kMaxLine);
  REQUIRE(reader.next(line));
  CHECK(line.oversized);
  CHECK_FALSE(reader.next(line));
  CHECK(reader.buffer_bytes() <= kMaxLine + 1 + simdjson::SIMDJSON_PADDING);
  CHECK(reader.bytes_consumed() == 6 * kMaxLine + 1);
}

TEST_CASE("next_line_start steps over a line longer than its scan buffer") {
  ge_test::TempDir dir;
  const auto path = dir.write("e.jsonl", "x\n" + std::string(10u << 20, 'y') + "\nz\n");
  CHECK(ge::next_line_start(path, 2) == 2 + (10u << 20) + 1);
  CHECK(ge::next_line_start(path, 3) == 2 + (10u << 20) + 1);
}
