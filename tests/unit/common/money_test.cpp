#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "common/money.hpp"

using ge::Decimal;

namespace {
Decimal dec(const char* text) {
  const auto d = Decimal::parse(text);
  if (!d) throw std::runtime_error(std::string("not a decimal: ") + text);
  return *d;
}
}  // namespace

TEST_CASE("Decimal::parse reads plain non-negative decimals exactly") {
  CHECK(dec("1").mantissa == 1);
  CHECK(dec("1").scale == 0);
  CHECK(dec("1.3").mantissa == 13);
  CHECK(dec("1.3").scale == 1);
  CHECK(dec("1.30").mantissa == 130);
  CHECK(dec("1.30").scale == 2);
  CHECK(dec("0.5").to_string() == "0.5");
  CHECK(dec("0001.50").to_string() == "1.50");
  CHECK(dec("0").is_zero());
  CHECK(dec("0.000").is_zero());
  CHECK(dec("123456789012345678").mantissa == 123456789012345678);  // 18 significant digits
  CHECK(dec("0.000000000000000001").scale == 18);
  CHECK(dec("0000000000000000000001").mantissa == 1);  // leading zeros are not significant
}

TEST_CASE("Decimal::parse refuses everything but digits and one point") {
  for (const char* bad : {"", ".", "1.", ".5", "-1", "+1", "1e3", "1E3", " 1", "1 ", "1.2.3", "1,3", "0x10", "nan",
                          "1234567890123456789",       // 19 significant digits
                          "0.0000000000000000001"}) {  // 19 fraction digits
    INFO(bad);
    CHECK_FALSE(Decimal::parse(bad));
  }
}

TEST_CASE("Decimal arithmetic is exact") {
  CHECK((dec("0.99") * dec("1.3")).to_string() == "1.287");
  CHECK((dec("1.99") * dec("1.3")).to_string() == "2.587");
  CHECK((dec("1.287") + dec("4.99") + dec("2.587")).to_string() == "8.864");  // the tiny fixture's revenue
  CHECK((dec("0.1") + dec("0.2")) == dec("0.3"));
  CHECK(dec("1.30") == dec("1.3"));
  CHECK_FALSE(dec("1.31") == dec("1.3"));
  CHECK(dec("1.3").rescaled(4).mantissa == 13000);
  CHECK(dec("1.3").rescaled(4).to_string() == "1.3000");
  CHECK(Decimal{5, 2}.to_string() == "0.05");
  CHECK(Decimal{0, 3}.to_string() == "0.000");
  CHECK(Decimal{12345, 0}.to_string() == "12345");
  CHECK(dec("4.99").to_double() == Approx(4.99));
}

TEST_CASE("to_string_rounded rounds half away from zero") {
  CHECK(dec("8.864").to_string_rounded(2) == "8.86");
  CHECK(dec("8.865").to_string_rounded(2) == "8.87");
  CHECK(dec("0.005").to_string_rounded(2) == "0.01");
  CHECK(dec("0.0049").to_string_rounded(2) == "0.00");
  CHECK(dec("2.5").to_string_rounded(0) == "3");
  CHECK(dec("1.3").to_string_rounded(2) == "1.30");
  CHECK(dec("7").to_string_rounded(2) == "7.00");
  CHECK(dec("9.995").to_string_rounded(2) == "10.00");
}

TEST_CASE("amount_code accepts the five amounts within 1e-6 at x100") {
  CHECK(ge::amount_code(0.99) == std::uint8_t{0});
  CHECK(ge::amount_code(1.99) == std::uint8_t{1});
  CHECK(ge::amount_code(2.99) == std::uint8_t{2});
  CHECK(ge::amount_code(4.99) == std::uint8_t{3});
  CHECK(ge::amount_code(9.99) == std::uint8_t{4});
  CHECK(ge::amount_code(0.989999999) == std::uint8_t{0});  // SPEC: stored as 0.99
  CHECK(ge::amount_code(9.990) == std::uint8_t{4});
  CHECK(ge::amount_code(99e-2) == std::uint8_t{0});
  CHECK(ge::amount_code(0.990000001) == std::uint8_t{0});
  for (double bad : {5.0, 5.00, 0.0, 1.0, 0.98, 0.9899, 0.989999, 0.991, 3.99, 99.0, -0.99, 1e300}) {
    INFO(bad);
    CHECK_FALSE(ge::amount_code(bad));
  }
  CHECK_FALSE(ge::amount_code(std::numeric_limits<double>::quiet_NaN()));
  CHECK_FALSE(ge::amount_code(std::numeric_limits<double>::infinity()));
  CHECK(ge::amount_decimal(0) == dec("0.99"));
  CHECK(ge::amount_decimal(4).to_string() == "9.99");
}
