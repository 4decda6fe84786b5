// SPEC §1.1 and §2 steps 1–2: every parse and schema rule, each with the smallest line that
// triggers it, and the order in which fields are checked.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/country.hpp"
#include "unit_support.hpp"

using ge_test::describe;
using ge_test::PaddedParser;

namespace {
const std::string kUser = "a1a1a1a1-683b-11ee-aca7-8699b86be788";

// Registration-field members; "" omits the member.
const std::string kCountry = R"("country": "DE")";
const std::string kName = R"("name": "Horst")";
const std::string kDevice = R"("device_os": "iOS")";
const std::string kCampaign = R"("marketing_campaign": null)";

std::string join(const std::vector<std::string>& members) {
  std::string out;
  for (const auto& m : members) {
    if (m.empty()) continue;
    if (!out.empty()) out += ", ";
    out += m;
  }
  return out;
}
std::string with_data(const std::string& type, const std::string& data_members) {
  return R"({"event_id": 1, "event_timestamp": 1273280400, "event_type": ")" + type + R"(", "event_data": {)" +
         data_members + "}}";
}
std::string reg(const std::string& country = kCountry, const std::string& name = kName,
                const std::string& device = kDevice, const std::string& campaign = kCampaign) {
  return with_data("registration", join({R"("user_id": ")" + kUser + "\"", country, name, device, campaign}));
}
std::string tx(const std::string& amount, const std::string& currency = R"("transaction_currency": "USD")") {
  return with_data("transaction", join({R"("user_id": ")" + kUser + "\"", amount, currency}));
}
std::string amount(const std::string& value) { return R"("transaction_amount": )" + value; }
std::string login_data(const std::string& data_members) { return with_data("login", data_members); }
std::string user_member(const std::string& value) { return R"("user_id": )" + value; }

struct Case {
  std::string line;
  std::string expected;
};

void check_cases(const std::vector<Case>& cases) {
  const ge::ExchangeRates rates = ge_test::shipped_rates();
  PaddedParser parser(rates);
  for (const Case& c : cases) {
    INFO("line: " << c.line);
    CHECK(describe(parser.parse(c.line)) == c.expected);
  }
}

ge::ParseOutcome parse_one(const std::string& line) {
  static const ge::ExchangeRates rates = ge_test::shipped_rates();
  static PaddedParser parser(rates);
  return parser.parse(line);
}
}  // namespace

TEST_CASE("a complete event of each type is accepted") {
  check_cases({
      {reg(), "accepted"},
      {login_data(user_member('"' + kUser + '"')), "accepted"},
      {with_data("logout", user_member('"' + kUser + '"')), "accepted"},
      {tx(amount("0.99")), "accepted"},
  });
}

TEST_CASE("parse: not JSON, not an object, bad UTF-8 and lone surrogates are malformed_json") {
  const std::string ok_login = login_data(user_member('"' + kUser + '"'));
  check_cases({
      {"{", "malformed_json"},
      {R"({"event_id": 1)", "malformed_json"},                      // truncated
      {ok_login.substr(0, ok_login.size() - 1), "malformed_json"},  // last brace missing
      {ok_login + "}", "malformed_json"},                           // trailing garbage
      {ok_login + " {}", "malformed_json"},                         // two values
      {R"({'event_id': 1})", "malformed_json"},                     // not JSON quotes
      {R"({"event_id": 1,})", "malformed_json"},                    // trailing comma
      {"[1, 2, 3]", "malformed_json"},                              // valid JSON, not an object
      {"42", "malformed_json"},
      {R"("text")", "malformed_json"},
      {"null", "malformed_json"},
      {"true", "malformed_json"},
      {"x", "malformed_json"},
      {R"({"event_id": 01})", "malformed_json"},  // leading zero
      {R"({"event_id": +1})", "malformed_json"},
      {R"({"event_id": .5})", "malformed_json"},
      {R"({"event_id": 1.})", "malformed_json"},
      {R"({"event_id": NaN})", "malformed_json"},
      {R"({"event_id": Infinity})", "malformed_json"},
      {"{\"event_id\": 1, \"x\": \"a\tb\"}", "malformed_json"},  // raw control character in a string
      {R"({"event_id": 1, "x": "\q"})", "malformed_json"},       // invalid escape
      {R"({"event_id": 1, "x": "\u12"})", "malformed_json"},     // short \u escape
      // A Latin-1 byte (0xFC) in a string: not UTF-8 (the tiny fixture's line 36).
      {"{\"event_id\": 101, \"event_timestamp\": 1273290000, \"event_type\": \"registration\", \"event_data\": "
       "{\"user_id\": \"0b0b0b0b-683b-11ee-aca7-8699b86be788\", \"country\": \"DE\", \"name\": \"J\xFCrgen\", "
       "\"device_os\": \"iOS\", \"marketing_campaign\": null}}",
       "malformed_json"},
      {"{\"event_id\": 1, \"x\": \"\xC0\xAF\"}", "malformed_json"},      // overlong encoding
      {"{\"event_id\": 1, \"x\": \"\xED\xA0\x80\"}", "malformed_json"},  // UTF-8-encoded surrogate
      {"{\"event_id\": 1, \"x\": \"\xE2\x82\"}", "malformed_json"},      // truncated sequence
      {"{\"event_id\": 1\xFF}", "malformed_json"},                       // stray byte outside strings
      // Lone surrogate escapes in fields the SPEC reads: malformed, before any schema check.
      {login_data(user_member(R"("\ud800")")), "malformed_json"},        // would be invalid_value otherwise
      {login_data(user_member(R"("\udc00")")), "malformed_json"},        // lone low surrogate
      {login_data(user_member(R"("\ud800\u0041")")), "malformed_json"},  // high not followed by low
      {reg(kCountry, R"("name": "ab\ud83dcd")"), "malformed_json"},
      {reg(kCountry, kName, kDevice, R"("marketing_campaign": "\udfff")"), "malformed_json"},
      {R"({"event_id": 1, "event_timestamp": 1, "event_type": "\ud800", "event_data": {}})", "malformed_json"},
  });
}

TEST_CASE("whitespace around the object is fine") {
  const std::string ok_login = login_data(user_member('"' + kUser + '"'));
  check_cases({
      {"  " + ok_login, "accepted"},
      {ok_login + " \t ", "accepted"},
      {"\t" + ok_login + "\r", "accepted"},
  });
}

TEST_CASE("a valid surrogate pair and other escapes are fine") {
  const auto outcome = parse_one(reg(kCountry, R"("name": "\ud83d\ude00\u00e9\n")"));
  REQUIRE(outcome.accepted);
  REQUIRE(outcome.event.registration.name);
  CHECK(*outcome.event.registration.name == "\xF0\x9F\x98\x80\xC3\xA9\n");
}

TEST_CASE("event_id: missing, wrong type, out of range") {
  check_cases({
      {"{}", "missing_field(event_id)"},
      {R"({"event_type": "login", "event_timestamp": 1273290000, "event_data": {"user_id": "a1a1a1a1-683b-11ee-aca7-8699b86be788"}})",
       "missing_field(event_id)"},
      {R"({"Event_id": 1})", "missing_field(event_id)"},  // keys are case-sensitive
      {R"({"event_id": "1"})", "wrong_type(event_id)"},
      {R"({"event_id": true})", "wrong_type(event_id)"},
      {R"({"event_id": null})", "wrong_type(event_id)"},
      {R"({"event_id": 1.0})", "wrong_type(event_id)"},
      {R"({"event_id": 1274385529.0})", "wrong_type(event_id)"},
      {R"({"event_id": 1E3})", "wrong_type(event_id)"},
      {R"({"event_id": 1e0})", "wrong_type(event_id)"},
      {R"({"event_id": [1]})", "wrong_type(event_id)"},
      {R"({"event_id": {}})", "wrong_type(event_id)"},
      {R"({"event_id": -1})", "invalid_value(event_id)"},
      {R"({"event_id": -5})", "invalid_value(event_id)"},
      {R"({"event_id": 9223372036854775808})", "invalid_value(event_id)"},   // 2^63
      {R"({"event_id": 18446744073709551615})", "invalid_value(event_id)"},  // 2^64 - 1
      {R"({"event_id": 99999999999999999999})", "invalid_value(event_id)"},  // beyond 64 bits
      // Valid ids: the next check (event_timestamp) is what fails.
      {R"({"event_id": 0})", "missing_field(event_timestamp)"},
      {R"({"event_id": 9223372036854775807})", "missing_field(event_timestamp)"},  // 2^63 - 1
      {R"({"event_id": -0})", "missing_field(event_timestamp)"},                   // -0 is the integer 0
  });
  CHECK(parse_one(R"({"event_id": -0})").event_id == std::uint64_t{0});
  CHECK(parse_one(R"({"event_id": 9223372036854775807})").event_id == std::uint64_t{9223372036854775807ULL});
}

TEST_CASE("event_timestamp: missing, wrong type, out of range") {
  check_cases({
      {R"({"event_id": 1})", "missing_field(event_timestamp)"},
      {R"({"event_id": 1, "event_timestamp": "1273290000"})", "wrong_type(event_timestamp)"},
      {R"({"event_id": 1, "event_timestamp": 1274385529.0})", "wrong_type(event_timestamp)"},
      {R"({"event_id": 1, "event_timestamp": 1273290000.0})", "wrong_type(event_timestamp)"},
      {R"({"event_id": 1, "event_timestamp": 1E3})", "wrong_type(event_timestamp)"},
      {R"({"event_id": 1, "event_timestamp": 12e8})", "wrong_type(event_timestamp)"},
      {R"({"event_id": 1, "event_timestamp": null})", "wrong_type(event_timestamp)"},
      {R"({"event_id": 1, "event_timestamp": false})", "wrong_type(event_timestamp)"},
      {R"({"event_id": 1, "event_timestamp": -1})", "invalid_value(event_timestamp)"},
      {R"({"event_id": 1, "event_timestamp": 253402300800})", "invalid_value(event_timestamp)"},
      {R"({"event_id": 1, "event_timestamp": 9223372036854775808})", "invalid_value(event_timestamp)"},
      {R"({"event_id": 1, "event_timestamp": 0})", "missing_field(event_type)"},
      {R"({"event_id": 1, "event_timestamp": -0})", "missing_field(event_type)"},
      {R"({"event_id": 1, "event_timestamp": 253402300799})", "missing_field(event_type)"},
  });
}

TEST_CASE("event_type: missing, wrong type, unknown") {
  const std::string head = R"({"event_id": 1, "event_timestamp": 1273290000, )";
  check_cases({
      {head + R"("event_data": {}})", "missing_field(event_type)"},
      {head + R"("event_type": 1})", "wrong_type(event_type)"},
      {head + R"("event_type": null})", "wrong_type(event_type)"},
      {head + R"("event_type": ["login"]})", "wrong_type(event_type)"},
      {head + R"("event_type": "purchase"})", "unknown_event_type(event_type)"},
      {head + R"("event_type": "Login"})", "unknown_event_type(event_type)"},
      {head + R"("event_type": "login "})", "unknown_event_type(event_type)"},
      {head + R"("event_type": ""})", "unknown_event_type(event_type)"},
      {head + R"("event_type": "login"})", "missing_field(event_data)"},
  });
}

TEST_CASE("event_data: missing or not an object") {
  const std::string head = R"({"event_id": 1, "event_timestamp": 1273290000, "event_type": "login")";
  check_cases({
      {head + "}", "missing_field(event_data)"},
      {head + R"(, "event_data": "x"})", "wrong_type(event_data)"},
      {head + R"(, "event_data": null})", "wrong_type(event_data)"},
      {head + R"(, "event_data": [])", "malformed_json"},
      {head + R"(, "event_data": []})", "wrong_type(event_data)"},
      {head + R"(, "event_data": 1})", "wrong_type(event_data)"},
      {head + R"(, "event_data": {}})", "missing_field(user_id)"},
  });
}

TEST_CASE("user_id: missing, wrong type, not a UUID, any case accepted and stored lower-case") {
  check_cases({
      {login_data(""), "missing_field(user_id)"},
      {login_data(R"("User_id": "a1a1a1a1-683b-11ee-aca7-8699b86be788")"), "missing_field(user_id)"},
      {login_data(user_member("1")), "wrong_type(user_id)"},
      {login_data(user_member("null")), "wrong_type(user_id)"},
      {login_data(user_member("{}")), "wrong_type(user_id)"},
      {login_data(user_member(R"("not-a-uuid")")), "invalid_value(user_id)"},
      {login_data(user_member(R"("")")), "invalid_value(user_id)"},
      {login_data(user_member(R"("a1a1a1a1683b11eeaca78699b86be788")")), "invalid_value(user_id)"},
      {login_data(user_member(R"("a1a1a1a1-683b-11ee-aca7-8699b86be78g")")), "invalid_value(user_id)"},
      {login_data(user_member(R"(" a1a1a1a1-683b-11ee-aca7-8699b86be788")")), "invalid_value(user_id)"},
      {login_data(user_member(R"("F6F6F6F6-683B-11EE-ACA7-8699B86BE788")")), "accepted"},
  });
  const auto outcome = parse_one(login_data(user_member(R"("F6F6F6F6-683B-11EE-aca7-8699B86BE788")")));
  REQUIRE(outcome.accepted);
  CHECK(ge::to_string(outcome.event.user_id) == "f6f6f6f6-683b-11ee-aca7-8699b86be788");
  // A user_id written with escapes is the decoded string.
  const auto escaped = parse_one(login_data(user_member(R"("\u00611a1a1a1-683b-11ee-aca7-8699b86be788")")));
  REQUIRE(escaped.accepted);
  CHECK(ge::to_string(escaped.event.user_id) == kUser);
}

TEST_CASE("registration country: ISO 3166-1 alpha-2, upper-case") {
  check_cases({
      {reg(""), "missing_field(country)"},
      {reg(R"("country": null)"), "wrong_type(country)"},
      {reg(R"("country": 49)"), "wrong_type(country)"},
      {reg(R"("country": ["DE"])"), "wrong_type(country)"},
      {reg(R"("country": "de")"), "invalid_value(country)"},
      {reg(R"("country": "De")"), "invalid_value(country)"},
      {reg(R"("country": "XX")"), "invalid_value(country)"},
      {reg(R"("country": "UK")"), "invalid_value(country)"},
      {reg(R"("country": "EU")"), "invalid_value(country)"},
      {reg(R"("country": "DEU")"), "invalid_value(country)"},
      {reg(R"("country": "Germany")"), "invalid_value(country)"},
      {reg(R"("country": "")"), "invalid_value(country)"},
      {reg(R"("country": "D")"), "invalid_value(country)"},
      {reg(R"("country": " DE")"), "invalid_value(country)"},
      {reg(R"("country": "US")"), "accepted"},
      {reg(R"("country": "GB")"), "accepted"},
      {reg(R"("country": "AQ")"), "accepted"},
      {reg(R"("country": "\u0044E")"), "accepted"},  // escapes are decoded first
  });
}

TEST_CASE("the country list has the 249 codes of Debian's iso-codes") {
  int count = 0;
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) count += ge::is_iso_country(std::string{a, b});
  }
  CHECK(count == 249);
  CHECK(ge::is_iso_country("DE"));
  CHECK(ge::is_iso_country("ZW"));
  CHECK_FALSE(ge::is_iso_country("de"));
  CHECK_FALSE(ge::is_iso_country("XK"));
  CHECK_FALSE(ge::is_iso_country("D"));
  CHECK_FALSE(ge::is_iso_country("DEU"));
  CHECK_FALSE(ge::is_iso_country("D1"));
  CHECK(ge::is_country_shape("XX"));
  CHECK_FALSE(ge::is_country_shape("xX"));
}

TEST_CASE("registration name: optional, null allowed, at most 1000 bytes of decoded UTF-8") {
  const std::string x1000(1000, 'x');
  const std::string x1001(1001, 'x');
  std::string e_acute_escaped_500;  // 500 × "\u00e9": 3000 bytes of JSON, 1000 bytes decoded
  for (int i = 0; i < 500; ++i) e_acute_escaped_500 += "\\u00e9";
  std::string a_escaped_1000;  // 1000 × "\u0041": 6000 bytes of JSON, 1000 bytes decoded
  for (int i = 0; i < 1000; ++i) a_escaped_1000 += "\\u0041";
  std::string e_acute_raw_500;  // 500 × "é" in UTF-8: 1000 bytes
  for (int i = 0; i < 500; ++i) e_acute_raw_500 += "\xC3\xA9";
  check_cases({
      {reg(kCountry, ""), "accepted"},
      {reg(kCountry, R"("name": null)"), "accepted"},
      {reg(kCountry, R"("name": "")"), "accepted"},
      {reg(kCountry, R"("name": 123)"), "wrong_type(name)"},
      {reg(kCountry, R"("name": true)"), "wrong_type(name)"},
      {reg(kCountry, R"("name": {"first": "A"})"), "wrong_type(name)"},
      {reg(kCountry, R"("name": ")" + x1000 + "\""), "accepted"},
      {reg(kCountry, R"("name": ")" + x1001 + "\""), "invalid_value(name)"},
      {reg(kCountry, R"("name": ")" + e_acute_escaped_500 + "\""), "accepted"},
      {reg(kCountry, R"("name": ")" + e_acute_escaped_500 + "\\u00e9\""), "invalid_value(name)"},  // 1002 bytes
      {reg(kCountry, R"("name": ")" + a_escaped_1000 + "\""), "accepted"},
      {reg(kCountry, R"("name": ")" + a_escaped_1000 + "\\u0041\""), "invalid_value(name)"},
      {reg(kCountry, R"("name": ")" + e_acute_raw_500 + "\""), "accepted"},
      {reg(kCountry, R"("name": ")" + e_acute_raw_500 + "x\""), "invalid_value(name)"},
  });
  const auto missing = parse_one(reg(kCountry, ""));
  REQUIRE(missing.accepted);
  CHECK_FALSE(missing.event.registration.name);
  const auto null_name = parse_one(reg(kCountry, R"("name": null)"));
  REQUIRE(null_name.accepted);
  CHECK_FALSE(null_name.event.registration.name);
  const auto empty_name = parse_one(reg(kCountry, R"("name": "")"));
  REQUIRE(empty_name.accepted);
  REQUIRE(empty_name.event.registration.name);
  CHECK(empty_name.event.registration.name->empty());
  const auto escaped = parse_one(reg(kCountry, R"("name": ")" + e_acute_escaped_500 + "\""));
  REQUIRE(escaped.accepted);
  REQUIRE(escaped.event.registration.name);
  CHECK(escaped.event.registration.name->size() == 1000);
  CHECK(*escaped.event.registration.name == e_acute_raw_500);
}

TEST_CASE("registration device_os: exactly iOS, Android or Web") {
  check_cases({
      {reg(kCountry, kName, ""), "missing_field(device_os)"},
      {reg(kCountry, kName, R"("device_os": null)"), "wrong_type(device_os)"},
      {reg(kCountry, kName, R"("device_os": 1)"), "wrong_type(device_os)"},
      {reg(kCountry, kName, R"("device_os": "ios")"), "invalid_value(device_os)"},
      {reg(kCountry, kName, R"("device_os": "IOS")"), "invalid_value(device_os)"},
      {reg(kCountry, kName, R"("device_os": "android")"), "invalid_value(device_os)"},
      {reg(kCountry, kName, R"("device_os": "web")"), "invalid_value(device_os)"},
      {reg(kCountry, kName, R"("device_os": "Windows")"), "invalid_value(device_os)"},
      {reg(kCountry, kName, R"("device_os": "")"), "invalid_value(device_os)"},
      {reg(kCountry, kName, R"("device_os": "iOS ")"), "invalid_value(device_os)"},
      {reg(kCountry, kName, R"("device_os": "Android")"), "accepted"},
      {reg(kCountry, kName, R"("device_os": "Web")"), "accepted"},
  });
  CHECK(parse_one(reg(kCountry, kName, R"("device_os": "Android")")).event.registration.device_os ==
        ge::DeviceOs::Android);
  CHECK(parse_one(reg(kCountry, kName, R"("device_os": "Web")")).event.registration.device_os == ge::DeviceOs::Web);
  CHECK(parse_one(reg()).event.registration.device_os == ge::DeviceOs::iOS);
}

TEST_CASE("registration marketing_campaign: required, null and empty mean organic") {
  check_cases({
      {reg(kCountry, kName, kDevice, ""), "missing_field(marketing_campaign)"},
      {reg(kCountry, kName, kDevice, R"("marketing_campaign": 1)"), "wrong_type(marketing_campaign)"},
      {reg(kCountry, kName, kDevice, R"("marketing_campaign": false)"), "wrong_type(marketing_campaign)"},
      {reg(kCountry, kName, kDevice, R"("marketing_campaign": [])"), "wrong_type(marketing_campaign)"},
      {reg(kCountry, kName, kDevice, R"("marketing_campaign": null)"), "accepted"},
      {reg(kCountry, kName, kDevice, R"("marketing_campaign": "")"), "accepted"},
      {reg(kCountry, kName, kDevice, R"("marketing_campaign": "influencer_marketing")"), "accepted"},
      {reg(kCountry, kName, kDevice, R"("marketing_campaign": " ")"), "accepted"},
  });
  CHECK_FALSE(parse_one(reg(kCountry, kName, kDevice, R"("marketing_campaign": null)")).event.registration.campaign);
  CHECK_FALSE(parse_one(reg(kCountry, kName, kDevice, R"("marketing_campaign": "")")).event.registration.campaign);
  const auto paid = parse_one(reg(kCountry, kName, kDevice, R"("marketing_campaign": "influencer_marketing")"));
  REQUIRE(paid.event.registration.campaign);
  CHECK(*paid.event.registration.campaign == "influencer_marketing");
}

TEST_CASE("transaction_amount: a number equal at cent precision to one of the five amounts") {
  check_cases({
      {tx(""), "missing_field(transaction_amount)"},
      {tx(amount(R"("0.99")")), "wrong_type(transaction_amount)"},
      {tx(amount("true")), "wrong_type(transaction_amount)"},
      {tx(amount("null")), "wrong_type(transaction_amount)"},
      {tx(amount("[0.99]")), "wrong_type(transaction_amount)"},
      {tx(amount("5.0")), "invalid_value(transaction_amount)"},
      {tx(amount("5")), "invalid_value(transaction_amount)"},
      {tx(amount("0")), "invalid_value(transaction_amount)"},
      {tx(amount("-0.99")), "invalid_value(transaction_amount)"},
      {tx(amount("0.98")), "invalid_value(transaction_amount)"},
      {tx(amount("0.989999")), "invalid_value(transaction_amount)"},
      {tx(amount("99")), "invalid_value(transaction_amount)"},
      {tx(amount("1e400")), "invalid_value(transaction_amount)"},
      {tx(amount("0.99")), "accepted"},
      {tx(amount("1.99")), "accepted"},
      {tx(amount("2.99")), "accepted"},
      {tx(amount("4.99")), "accepted"},
      {tx(amount("9.99")), "accepted"},
      {tx(amount("0.989999999")), "accepted"},
      {tx(amount("9.990")), "accepted"},
      {tx(amount("99e-2")), "accepted"},
      {tx(amount("0.099E1")), "accepted"},
  });
  CHECK(parse_one(tx(amount("0.989999999"))).event.transaction.amount_code == 0);
  CHECK(parse_one(tx(amount("9.990"))).event.transaction.amount_code == 4);
  CHECK(parse_one(tx(amount("99e-2"))).event.transaction.amount_code == 0);
  CHECK(parse_one(tx(amount("2.99"))).event.transaction.amount_code == 2);
  CHECK(ge::amount_decimal(parse_one(tx(amount("0.989999999"))).event.transaction.amount_code).to_string() == "0.99");
}

TEST_CASE("transaction_currency: a string that exchange_rates.jsonl lists") {
  check_cases({
      {tx(amount("0.99"), ""), "missing_field(transaction_currency)"},
      {tx(amount("0.99"), R"("transaction_currency": null)"), "wrong_type(transaction_currency)"},
      {tx(amount("0.99"), R"("transaction_currency": 840)"), "wrong_type(transaction_currency)"},
      {tx(amount("0.99"), R"("transaction_currency": "GBP")"), "invalid_value(transaction_currency)"},
      {tx(amount("0.99"), R"("transaction_currency": "usd")"), "invalid_value(transaction_currency)"},
      {tx(amount("0.99"), R"("transaction_currency": "")"), "invalid_value(transaction_currency)"},
      {tx(amount("0.99"), R"("transaction_currency": "USD ")"), "invalid_value(transaction_currency)"},
      {tx(amount("0.99"), R"("transaction_currency": "EUR")"), "accepted"},
  });
  CHECK(parse_one(tx(amount("0.99"), R"("transaction_currency": "USD")")).event.transaction.currency == 0);
  CHECK(parse_one(tx(amount("0.99"), R"("transaction_currency": "EUR")")).event.transaction.currency == 1);
  // The currency list is the rates file's, not a fixed one.
  const auto rates = ge::ExchangeRates::parse(R"({"currency": "GBP", "rate_to_usd": "1.25"})", "rates");
  PaddedParser gbp(rates);
  CHECK(describe(gbp.parse(tx(amount("0.99"), R"("transaction_currency": "GBP")"))) == "accepted");
  CHECK(describe(gbp.parse(tx(amount("0.99"), R"("transaction_currency": "USD")"))) ==
        "invalid_value(transaction_currency)");
}

TEST_CASE("fields are checked in SPEC order: the first failure is the reason") {
  check_cases({
      // Bad event_id and bad user_id: event_id.
      {R"({"event_id": "x", "event_timestamp": 1, "event_type": "login", "event_data": {"user_id": "bad"}})",
       "wrong_type(event_id)"},
      // The order is the SPEC's, not the order of the keys in the text.
      {R"({"event_data": {"user_id": "bad"}, "event_type": "nope", "event_timestamp": 1.5, "event_id": 1})",
       "wrong_type(event_timestamp)"},
      {R"({"event_data": 7, "event_type": "nope", "event_timestamp": 1, "event_id": 1})",
       "unknown_event_type(event_type)"},
      {R"({"event_type": "nope", "event_id": 1, "event_timestamp": 1})", "unknown_event_type(event_type)"},
      {R"({"event_id": -1, "event_timestamp": -1})", "invalid_value(event_id)"},
      {R"({"event_id": 1, "event_timestamp": -1})", "invalid_value(event_timestamp)"},
      {R"({"event_id": 1, "event_timestamp": 1, "event_type": "login", "event_data": {"user_id": 5}})",
       "wrong_type(user_id)"},
      // user_id before the type's own fields.
      {with_data("registration", R"("country": "xx", "user_id": "bad")"), "invalid_value(user_id)"},
      {with_data("transaction", R"("transaction_amount": "x", "user_id": "bad")"), "invalid_value(user_id)"},
      // Registration: country, name, device_os, marketing_campaign.
      {reg(R"("country": "de")", R"("name": 1)", R"("device_os": "x")", ""), "invalid_value(country)"},
      {reg(kCountry, R"("name": 1)", R"("device_os": "x")", ""), "wrong_type(name)"},
      {reg(kCountry, kName, R"("device_os": "x")", ""), "invalid_value(device_os)"},
      {reg(kCountry, kName, "", R"("marketing_campaign": 1)"), "missing_field(device_os)"},
      {reg("", R"("name": 1)"), "missing_field(country)"},
      // Transaction: amount before currency.
      {tx(amount("5.0"), R"("transaction_currency": "GBP")"), "invalid_value(transaction_amount)"},
      {tx("", ""), "missing_field(transaction_amount)"},
  });
}

TEST_CASE("fields of other types and unknown fields are ignored") {
  check_cases({
      {login_data(user_member('"' + kUser + '"') + R"(, "country": "xx", "transaction_amount": "bad", "device_os": 1)"),
       "accepted"},
      {with_data("logout", user_member('"' + kUser + '"') + R"(, "marketing_campaign": 5)"), "accepted"},
      {tx(amount("0.99")).substr(0, tx(amount("0.99")).size() - 2) + R"(, "country": 1, "name": [] }})", "accepted"},
      {reg().substr(0, reg().size() - 2) + R"(, "transaction_amount": "x", "extra": {"deep": [1, 2]}}})", "accepted"},
      {R"({"event_id": 1, "event_timestamp": 1, "event_type": "login", "source": "app", "v": 2.5, "event_data": {"user_id": ")" +
           kUser + R"("}, "x": null})",
       "accepted"},
  });
}

TEST_CASE("an accepted event carries its values") {
  const auto outcome = parse_one(
      R"({"event_id": 40, "event_type": "transaction", "event_timestamp": 1273280400, "event_data": {"user_id": "A1A1A1A1-683b-11ee-aca7-8699b86be788", "transaction_currency": "EUR", "transaction_amount": 4.99}})");
  REQUIRE(outcome.accepted);
  CHECK(outcome.event.event_id == 40);
  CHECK(outcome.event.timestamp == 1273280400);
  CHECK(outcome.event.type == ge::EventType::transaction);
  CHECK(ge::to_string(outcome.event.user_id) == kUser);
  CHECK(outcome.event.transaction.amount_code == 3);
  CHECK(outcome.event.transaction.currency == 1);
  CHECK_FALSE(outcome.duplicate_keys);

  const auto r = parse_one(
      reg(R"("country": "IT")", R"("name": "Renata")", R"("device_os": "Web")", R"("marketing_campaign": "social")"));
  REQUIRE(r.accepted);
  CHECK(r.event.type == ge::EventType::registration);
  CHECK(std::string(r.event.registration.country, 2) == "IT");
  CHECK(*r.event.registration.name == "Renata");
  CHECK(r.event.registration.device_os == ge::DeviceOs::Web);
  CHECK(*r.event.registration.campaign == "social");
}

TEST_CASE("a rejected line keeps its valid event_id for the rejects file") {
  CHECK(parse_one(R"({"event_id": 7, "event_timestamp": "x"})").event_id == std::uint64_t{7});
  CHECK(parse_one(reg(R"("country": "de")")).event_id == std::uint64_t{1});
  CHECK_FALSE(parse_one(R"({"event_id": -7})").event_id);
  CHECK_FALSE(parse_one(R"({"event_id": "7"})").event_id);
  CHECK_FALSE(parse_one("[7]").event_id);
}

TEST_CASE("duplicate keys: the first occurrence counts and the line is flagged") {
  const std::string rest =
      R"(, "event_timestamp": 1, "event_type": "login", "event_data": {"user_id": ")" + kUser + R"("}})";
  auto first_valid = parse_one(R"({"event_id": 1, "event_id": "x")" + rest);
  CHECK(first_valid.accepted);
  CHECK(first_valid.event.event_id == 1);
  CHECK(first_valid.duplicate_keys);

  auto first_invalid = parse_one(R"({"event_id": "x", "event_id": 1)" + rest);
  CHECK(describe(first_invalid) == "wrong_type(event_id)");
  CHECK(first_invalid.duplicate_keys);

  auto two_ids = parse_one(R"({"event_id": 5, "event_id": 6)" + rest);
  CHECK(two_ids.event.event_id == 5);

  auto type_twice = parse_one(
      R"({"event_id": 1, "event_timestamp": 1, "event_type": "login", "event_type": "registration", "event_data": {"user_id": ")" +
      kUser + R"("}})");
  CHECK(type_twice.accepted);  // a login needs no country
  CHECK(type_twice.event.type == ge::EventType::login);

  auto user_twice =
      parse_one(login_data(user_member('"' + kUser + '"') + R"(, "user_id": "b2b2b2b2-683b-11ee-aca7-8699b86be788")"));
  CHECK(user_twice.accepted);
  CHECK(ge::to_string(user_twice.event.user_id) == kUser);
  CHECK(user_twice.duplicate_keys);

  auto user_twice_bad_first = parse_one(login_data(R"("user_id": "bad", )" + user_member('"' + kUser + '"')));
  CHECK(describe(user_twice_bad_first) == "invalid_value(user_id)");
  CHECK(user_twice_bad_first.duplicate_keys);

  auto campaign_twice =
      parse_one(reg(kCountry, kName, kDevice, R"("marketing_campaign": "a", "marketing_campaign": null)"));
  REQUIRE(campaign_twice.accepted);
  REQUIRE(campaign_twice.event.registration.campaign);
  CHECK(*campaign_twice.event.registration.campaign == "a");

  // Repeats among fields the SPEC does not read are flagged too, at any depth of the event.
  auto unknown_twice = parse_one(R"({"x": 1, "x": 2, "event_id": 1)" + rest);
  CHECK(unknown_twice.accepted);
  CHECK(unknown_twice.duplicate_keys);
  auto unknown_in_data = parse_one(login_data(user_member('"' + kUser + '"') + R"(, "y": 1, "y": 1)"));
  CHECK(unknown_in_data.accepted);
  CHECK(unknown_in_data.duplicate_keys);

  CHECK_FALSE(parse_one(R"({"event_id": 1)" + rest).duplicate_keys);
  CHECK_FALSE(parse_one(reg()).duplicate_keys);
}

TEST_CASE("the parser is reusable: one line's values do not leak into the next") {
  const ge::ExchangeRates rates = ge_test::shipped_rates();
  PaddedParser parser(rates);
  CHECK(parser.parse(reg(kCountry, kName, kDevice, R"("marketing_campaign": "ads")")).accepted);
  const auto next = parser.parse(reg(R"("country": "US")", "", R"("device_os": "Web")"));
  REQUIRE(next.accepted);
  CHECK_FALSE(next.event.registration.name);
  CHECK_FALSE(next.event.registration.campaign);
  CHECK(std::string(next.event.registration.country, 2) == "US");
  CHECK_FALSE(parser.parse(R"({"event_id": 1, "event_id": 2})").accepted);
  const auto clean = parser.parse(login_data(user_member('"' + kUser + '"')));
  CHECK(clean.accepted);
  CHECK_FALSE(clean.duplicate_keys);
}
