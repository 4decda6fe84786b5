// The byte sources under the line reader: formats told by their magic, decompression streamed in
// any read size, concatenated members and frames, and every way a compressed file can be broken.
#include <catch2/catch.hpp>

#include "etl/byte_source.hpp"
#include "etl/input_files.hpp"
#include "etl/line_reader.hpp"
#include "tests/support/compress.hpp"
#include "unit_support.hpp"

using Catch::Matchers::Contains;

namespace {
using ge_test_support::gzip;
using ge_test_support::zstd;

// Everything a source hands out, `step` bytes a read at most.
std::string drain(ge::ByteSource& source, std::size_t step) {
  std::string out;
  std::string buffer(step, '\0');
  for (;;) {
    const std::size_t got = source.read(buffer.data(), step);
    if (got == 0) return out;
    out.append(buffer.data(), got);
  }
}

std::string content_of(const std::string& path, std::size_t step = 1u << 16) {
  auto opened = ge::open_content(path);
  return drain(*opened.source, step);
}

// Lines that do not compress to nothing: varied numbers.
std::string sample_lines(int count) {
  std::string text;
  for (int i = 0; i < count; ++i)
    text += "{\"event_id\": " + std::to_string(i * 7919 % 100003) + ", \"n\": " + std::to_string(i) + "}\n";
  return text;
}
}  // namespace

TEST_CASE("the format is told by the first bytes, not the name") {
  CHECK(ge::detect_compression("\x1f\x8b\x08\x00") == ge::Compression::gzip);
  CHECK(ge::detect_compression(std::string_view("\x28\xb5\x2f\xfd", 4)) == ge::Compression::zstd);
  CHECK(ge::detect_compression("{\"ev") == ge::Compression::none);
  CHECK(ge::detect_compression("\x1f") == ge::Compression::none);  // too short to be anything
  CHECK(ge::detect_compression("") == ge::Compression::none);
  ge_test::TempDir dir;
  const std::string text = sample_lines(2000);
  CHECK(ge::open_content(dir.write("a.jsonl", gzip(text))).compression == ge::Compression::gzip);
  CHECK(ge::open_content(dir.write("b.gz", zstd(text))).compression == ge::Compression::zstd);
  CHECK(ge::open_content(dir.write("c.zst", text)).compression == ge::Compression::none);
  CHECK(ge::open_content(dir.write("d.jsonl", "")).compression == ge::Compression::none);
}

TEST_CASE("decompression gives the content whatever the read size") {
  ge_test::TempDir dir;
  const std::string text = sample_lines(20000);
  const auto gz = dir.write("e.gz", gzip(text));
  const auto zs = dir.write("e.zst", zstd(text));
  for (std::size_t step : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, std::size_t{1} << 20}) {
    INFO("read size " << step);
    if (step == 1) {  // byte by byte only on a prefix-sized file: slow otherwise
      const auto small = dir.write("s.gz", gzip(text.substr(0, 5000)));
      CHECK(content_of(small, 1) == text.substr(0, 5000));
      continue;
    }
    CHECK(content_of(gz, step) == text);
    CHECK(content_of(zs, step) == text);
  }
}

TEST_CASE("concatenated gzip members and zstd frames are one stream, empty ones are nothing") {
  ge_test::TempDir dir;
  const std::string a = sample_lines(300), b = sample_lines(500);
  CHECK(content_of(dir.write("m.gz", gzip(a) + gzip("") + gzip(b))) == a + b);
  CHECK(content_of(dir.write("m.zst", zstd(a) + zstd("") + zstd(b))) == a + b);
  CHECK(content_of(dir.write("empty.gz", gzip(""))).empty());
  CHECK(content_of(dir.write("empty.zst", zstd(""))).empty());
}

TEST_CASE("a broken compressed file is BadInputError naming the file and the offset") {
  ge_test::TempDir dir;
  const std::string text = sample_lines(5000);
  const std::string gz = gzip(text), zs = zstd(text);
  SECTION("cut anywhere inside the stream: truncated, at the file's end") {
    for (std::size_t cut : {std::size_t{4}, std::size_t{10}, gz.size() / 2, gz.size() - 1}) {
      INFO("gzip cut at " << cut);
      const auto path = dir.write("cut.jsonl.gz", gz.substr(0, cut));
      CHECK_THROWS_MATCHES(content_of(path), ge::BadInputError,
                           Catch::Matchers::Predicate<ge::BadInputError>([&](const ge::BadInputError& e) {
                             const std::string what = e.what();
                             return what.find(path) != std::string::npos &&
                                    what.find("truncated gzip") != std::string::npos &&
                                    what.find("offset " + std::to_string(cut)) != std::string::npos;
                           }));
    }
    for (std::size_t cut : {std::size_t{4}, zs.size() / 2, zs.size() - 1}) {
      INFO("zstd cut at " << cut);
      const auto path = dir.write("cut.zst", zs.substr(0, cut));
      CHECK_THROWS_WITH(content_of(path),
                        Contains(path) && Contains("truncated zstd") && Contains("offset " + std::to_string(cut)));
    }
  }
  SECTION("corrupt data, a bad checksum, trailing bytes that are no member") {
    std::string flipped = gz;
    flipped[gz.size() / 2] = static_cast<char>(flipped[gz.size() / 2] ^ 0xFF);
    CHECK_THROWS_WITH(content_of(dir.write("bad.gz", flipped)), Contains("bad.gz") && Contains("corrupt gzip"));
    std::string bad_crc = gz;
    bad_crc[gz.size() - 6] = static_cast<char>(bad_crc[gz.size() - 6] ^ 0x01);  // inside the CRC-32 trailer
    CHECK_THROWS_WITH(content_of(dir.write("crc.gz", bad_crc)), Contains("crc.gz") && Contains("corrupt gzip"));
    CHECK_THROWS_WITH(content_of(dir.write("tail.gz", gz + "garbage")),
                      Contains("tail.gz") && Contains("offset " + std::to_string(gz.size())));
    std::string zflipped = zs;
    zflipped[zs.size() / 2] = static_cast<char>(zflipped[zs.size() / 2] ^ 0xFF);
    CHECK_THROWS_AS(content_of(dir.write("bad.zst", zflipped)), ge::BadInputError);
  }
}

TEST_CASE("the line reader reads decompressed lines as it reads a plain file") {
  ge_test::TempDir dir;
  const std::string text =
      "\xEF\xBB\xBF"
      "first\r\nsecond\n\n" +
      std::string(300, 'x') + "\nlast";
  const auto plain = dir.write("p.jsonl", text);
  const auto gz = dir.write("g.jsonl", gzip(text));
  auto lines_of = [](ge::LineReader& reader) {
    std::vector<std::string> out;
    ge::Line line;
    while (reader.next(line)) out.push_back(line.oversized ? "<oversized>" : std::string(line.text));
    return out;
  };
  ge::LineReader from_plain(plain, 256, 64);
  auto opened = ge::open_content(gz);
  ge::LineReader from_gzip(std::move(opened.source), opened.file_size, 256, 64);
  const auto want = std::vector<std::string>{"first", "second", "", "<oversized>", "last"};
  CHECK(lines_of(from_plain) == want);
  CHECK(lines_of(from_gzip) == want);
  CHECK(from_gzip.bytes_consumed() == text.size());
}

TEST_CASE("input positions order files first, then lines") {
  CHECK(ge::input_position(0, 17) == 17);
  CHECK(ge::input_position(1, 1) > ge::input_position(0, (std::uint64_t{1} << 40) - 1));
  CHECK(ge::file_of(ge::input_position(12, 345)) == 12);
  CHECK(ge::line_of(ge::input_position(12, 345)) == 345);
}
