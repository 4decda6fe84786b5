#pragma once
// SPEC §1.2: exchange_rates.jsonl. Any problem in it is fatal, before the database is touched.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/money.hpp"

namespace ge {

class RatesError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CurrencyRate {
  std::string code;
  Decimal rate_to_usd;
};

class ExchangeRates {
 public:
  static constexpr std::size_t kMaxCurrencies = 255;
  // 255 short lines take a few KiB; a bigger file is refused before it is held in memory.
  static constexpr std::size_t kMaxFileBytes = 1u << 20;
  // Throws RatesError naming the file and line of the first problem.
  static ExchangeRates load(const std::string& path);
  static ExchangeRates parse(std::string_view content, const std::string& source_name);

  std::optional<std::uint8_t> find(std::string_view code) const noexcept;
  const CurrencyRate& at(std::uint8_t index) const { return rates_.at(index); }
  std::size_t size() const noexcept { return rates_.size(); }

 private:
  std::vector<CurrencyRate> rates_;
};

}  // namespace ge
