// evgen (etl/evgen): determinism, shape of the output, anomalies. Links ge_evgen.
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "etl/evgen/generator.hpp"

namespace {

using ge::evgen::Generator;
using ge::evgen::Options;
using ge::evgen::Summary;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

struct Output {
  std::string text;
  Summary summary;
};

Output generate(const Options& options) {
  Generator generator(options);
  std::ostringstream stream;
  Output out;
  out.summary = generator.write(stream);
  out.text = stream.str();
  return out;
}

// Physical lines without their "\n" (a final newline does not start another line).
std::vector<std::string> split_lines(std::string_view text) {
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    lines.emplace_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

Options small_options(std::uint64_t users, double anomalies, std::uint64_t seed = 1) {
  Options o;
  o.users = users;
  o.anomaly_rate = anomalies;
  o.seed = seed;
  return o;
}

}  // namespace

TEST_CASE("evgen: the same options give the same bytes, another seed other bytes", "[evgen]") {
  const Output a = generate(small_options(300, 0.02, 1));
  const Output b = generate(small_options(300, 0.02, 1));
  const Output c = generate(small_options(300, 0.02, 2));
  REQUIRE(!a.text.empty());
  CHECK(a.text == b.text);
  CHECK(a.text != c.text);
  CHECK(a.summary.bytes == a.text.size());
  CHECK(a.summary.lines == split_lines(a.text).size());
}

TEST_CASE("evgen: without anomalies every line is a valid event of SPEC 1.1", "[evgen]") {
  const Output out = generate(small_options(400, 0.0, 3));
  CHECK(out.text.substr(0, kBom.size()) != kBom);
  REQUIRE(!out.text.empty());
  CHECK(out.text.back() == '\n');
  const std::vector<std::string> lines = split_lines(out.text);
  REQUIRE(lines.size() == out.summary.lines);
  CHECK(out.summary.blank_lines == 0);

  const std::set<std::string_view> kTypes{"registration", "login", "transaction", "logout"};
  const std::set<std::string_view> kDevices{"iOS", "Android", "Web"};
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> id_range;  // per type: min, max
  std::set<std::uint64_t> ids;
  std::set<std::string> users;
  std::size_t registrations = 0;
  simdjson::dom::parser parser;
  for (const std::string& line : lines) {
    INFO(line);
    REQUIRE(!is_blank(line));
    REQUIRE(line.find('\r') == std::string::npos);
    simdjson::dom::element doc;
    REQUIRE(parser.parse(simdjson::padded_string(line)).get(doc) == simdjson::SUCCESS);
    REQUIRE(doc.is_object());
    std::uint64_t id = 0;
    std::int64_t ts = 0;
    std::string_view type;
    simdjson::dom::object data;
    std::string_view user;
    REQUIRE(doc["event_id"].get(id) == simdjson::SUCCESS);
    REQUIRE(doc["event_timestamp"].get(ts) == simdjson::SUCCESS);
    REQUIRE(doc["event_type"].get(type) == simdjson::SUCCESS);
    REQUIRE(doc["event_data"].get(data) == simdjson::SUCCESS);
    REQUIRE(data["user_id"].get(user) == simdjson::SUCCESS);
    CHECK(kTypes.count(type) == 1);
    CHECK(ts >= 1273276800);  // 2010-05-08
    CHECK(ts < 1274572800);   // 2010-05-23
    CHECK(user.size() == 36);
    CHECK(user.substr(8) == "-683b-11ee-aca7-8699b86be788");
    CHECK(ids.insert(id).second);  // no duplicate ids
    auto& range = id_range.try_emplace(std::string(type), id, id).first->second;
    range.first = std::min(range.first, id);
    range.second = std::max(range.second, id);
    if (type == "registration") {
      ++registrations;
      CHECK(users.insert(std::string(user)).second);  // one registration per user
      std::string_view country;
      std::string_view device;
      REQUIRE(data["country"].get(country) == simdjson::SUCCESS);
      REQUIRE(data["device_os"].get(device) == simdjson::SUCCESS);
      CHECK(country.size() == 2);
      CHECK(kDevices.count(device) == 1);
      CHECK(data["marketing_campaign"].error() == simdjson::SUCCESS);
    } else if (type == "transaction") {
      double amount = 0;
      std::string_view currency;
      REQUIRE(data["transaction_amount"].get(amount) == simdjson::SUCCESS);
      REQUIRE(data["transaction_currency"].get(currency) == simdjson::SUCCESS);
      CHECK((currency == "USD" || currency == "EUR"));
      const auto cents = amount * 100.0;
      CHECK(std::min({std::abs(cents - 99), std::abs(cents - 199), std::abs(cents - 299), std::abs(cents - 499),
                      std::abs(cents - 999)}) < 1e-6);
    }
  }
  CHECK(registrations == 400);
  // All four types, ids in blocks: registrations, logins, logouts, transactions.
  REQUIRE(id_range.size() == 4);
  CHECK(id_range["registration"].second < id_range["login"].first);
  CHECK(id_range["login"].second < id_range["logout"].first);
  CHECK(id_range["logout"].second < id_range["transaction"].first);
}

TEST_CASE("evgen: with anomalies most lines are still valid JSON objects", "[evgen]") {
  const double rate = 0.02;
  const Output out = generate(small_options(2000, rate, 5));
  CHECK(out.text.substr(0, kBom.size()) == kBom);  // SPEC 1.1: a BOM at the start is ignored
  const std::vector<std::string> lines = split_lines(out.text);
  REQUIRE(lines.size() == out.summary.lines);

  simdjson::dom::parser parser;
  std::size_t blank = 0;
  std::size_t invalid = 0;
  std::size_t crlf = 0;
  std::size_t upper = 0;
  for (const std::string& line : lines) {
    if (is_blank(line)) {
      ++blank;
      continue;
    }
    crlf += line.back() == '\r';
    upper += line.find("-683B-11EE-ACA7-8699B86BE788") != std::string::npos;
    simdjson::dom::element doc;
    if (parser.parse(simdjson::padded_string(line)).get(doc) != simdjson::SUCCESS || !doc.is_object()) ++invalid;
  }
  CHECK(blank == out.summary.blank_lines);
  CHECK(blank > 0);
  CHECK(crlf > 0);
  CHECK(upper > 0);
  // Only the malformed-JSON share of the anomalies fails to parse.
  const auto n = static_cast<double>(lines.size());
  CHECK(invalid > 0);
  CHECK(static_cast<double>(invalid) < n * rate * 0.5);
  CHECK(static_cast<double>(blank + invalid) < n * rate);
}

TEST_CASE("evgen: the shuffle budget changes the order of the lines, not the lines", "[evgen]") {
  Options one_bucket = small_options(3000, 0.02, 9);
  Options many_buckets = one_bucket;
  many_buckets.shuffle_bytes = 64 * 1024;
  const Output a = generate(one_bucket);
  const Output b = generate(many_buckets);
  CHECK(a.summary.passes == 1);
  CHECK(b.summary.passes > 1);
  CHECK(a.text != b.text);
  std::vector<std::string> la = split_lines(a.text);
  std::vector<std::string> lb = split_lines(b.text);
  std::sort(la.begin(), la.end());
  std::sort(lb.begin(), lb.end());
  CHECK(la == lb);
}

TEST_CASE("evgen: the output is shuffled, not in time order", "[evgen]") {
  const std::vector<std::string> lines = split_lines(generate(small_options(500, 0.0, 4)).text);
  simdjson::dom::parser parser;
  std::vector<std::int64_t> ts;
  for (const std::string& line : lines) {
    std::int64_t t = 0;
    REQUIRE(parser.parse(simdjson::padded_string(line))["event_timestamp"].get(t) == simdjson::SUCCESS);
    ts.push_back(t);
  }
  std::size_t rises = 0;
  for (std::size_t i = 1; i < ts.size(); ++i) rises += ts[i] > ts[i - 1];
  // A random order rises about half the time; a sorted one always.
  CHECK(static_cast<double>(rises) > 0.4 * static_cast<double>(ts.size()));
  CHECK(static_cast<double>(rises) < 0.6 * static_cast<double>(ts.size()));
}

TEST_CASE("evgen: --events picks a population of about that many lines", "[evgen]") {
  Options o;
  o.events = 20000;
  Generator generator(o);
  std::ostringstream stream;
  const Summary s = generator.write(stream);
  CHECK(s.lines > 19800);
  CHECK(s.lines < 20200);
  CHECK(generator.users() == s.users);
}

TEST_CASE("evgen: options out of range are refused", "[evgen]") {
  Options o;
  o.users = 0;
  CHECK_THROWS(Generator(o));
  o.users = 10;
  o.anomaly_rate = 1.5;
  CHECK_THROWS(Generator(o));
  o.anomaly_rate = 0.0;
  o.days = 0;
  CHECK_THROWS(Generator(o));
}

TEST_CASE("evgen: the standard exchange-rate file", "[evgen]") {
  CHECK(ge::evgen::exchange_rates_jsonl() ==
        "{\"currency\": \"USD\", \"rate_to_usd\": \"1\"}\n{\"currency\": \"EUR\", \"rate_to_usd\": \"1.3\"}");
}
