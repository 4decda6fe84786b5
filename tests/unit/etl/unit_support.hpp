#pragma once
// Helpers shared by the unit tests: temporary files, a padded parser front end, a decoder for
// the binary COPY rows the model builder streams, and an in-process run of the product's
// cleaning stage (read → parse → order/deduplicate → state machine → model, etl/cleaning.hpp)
// over a file or a string of events.
#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include <simdjson.h>

#include "common/money.hpp"
#include "common/reason.hpp"
#include "common/utc_day.hpp"
#include "common/uuid.hpp"
#include "etl/byte_source.hpp"
#include "etl/cleaning.hpp"
#include "etl/event_order.hpp"
#include "etl/event_parser.hpp"
#include "etl/event_store.hpp"
#include "etl/exchange_rates.hpp"
#include "etl/line_reader.hpp"
#include "etl/model_builder.hpp"
#include "etl/table_output.hpp"

namespace ge_test {

// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    static std::atomic<unsigned> counter{0};
    const auto base = std::filesystem::temp_directory_path();
    for (int attempt = 0; attempt < 100; ++attempt) {
      const auto candidate = base / ("ge_unit_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
                                     std::to_string(attempt));
      if (std::filesystem::create_directory(candidate)) {
        path_ = candidate;
        return;
      }
    }
    throw std::runtime_error("cannot create a temporary directory");
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const noexcept { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // Writes bytes exactly as given and returns the file's path.
  std::string write(const std::string& name, std::string_view bytes) const {
    std::string p = file(name);
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) throw std::runtime_error("cannot write " + p);
    return p;
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The shipped exchange rates.
inline constexpr std::string_view kShippedRates =
    "{\"currency\": \"USD\", \"rate_to_usd\": \"1\"}\n"
    "{\"currency\": \"EUR\", \"rate_to_usd\": \"1.3\"}";

inline ge::ExchangeRates shipped_rates() { return ge::ExchangeRates::parse(kShippedRates, "rates"); }

// "accepted", or the reason with its field in parentheses: "wrong_type(event_id)".
inline std::string describe(ge::Reason reason, ge::Field field) {
  std::string text(ge::to_string(reason));
  if (field != ge::Field::none) text += "(" + std::string(ge::to_string(field)) + ")";
  return text;
}
inline std::string describe(const ge::ParseOutcome& outcome) {
  return outcome.accepted ? std::string("accepted") : describe(outcome.reason, outcome.field);
}

// EventParser wants SIMDJSON_PADDING readable bytes after each line: this keeps a padded copy.
class PaddedParser {
 public:
  explicit PaddedParser(const ge::ExchangeRates& rates) : parser_(rates) {}
  ge::ParseOutcome parse(std::string_view line) {
    buffer_.assign(line);
    buffer_.append(simdjson::SIMDJSON_PADDING, '\0');
    return parser_.parse(std::string_view(buffer_.data(), line.size()));
  }

 private:
  ge::EventParser parser_;
  std::string buffer_;
};

// ---- Binary COPY rows (etl/copy_binary_row.hpp) decoded to readable text ----

using RawField = std::optional<std::string>;
using RawRow = std::vector<RawField>;

inline std::uint64_t read_be(std::string_view bytes) {
  std::uint64_t value = 0;
  for (char c : bytes) value = (value << 8) | static_cast<unsigned char>(c);
  return value;
}
inline std::int64_t read_signed(std::string_view bytes) {
  const std::uint64_t raw = read_be(bytes);
  const unsigned bits = static_cast<unsigned>(bytes.size() * 8);
  if (bits < 64 && (raw >> (bits - 1)) != 0) {
    return static_cast<std::int64_t>(raw | ~((std::uint64_t{1} << bits) - 1));
  }
  return static_cast<std::int64_t>(raw);
}

inline std::vector<RawRow> decode_rows(std::string_view stream) {
  std::vector<RawRow> rows;
  std::size_t at = 0;
  auto take = [&](std::size_t n) {
    if (at + n > stream.size()) throw std::runtime_error("truncated COPY row");
    const std::string_view piece = stream.substr(at, n);
    at += n;
    return piece;
  };
  while (at < stream.size()) {
    const std::size_t fields = read_be(take(2));
    RawRow row;
    for (std::size_t f = 0; f < fields; ++f) {
      const std::int64_t length = read_signed(take(4));
      if (length < 0) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::string(take(static_cast<std::size_t>(length))));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// PostgreSQL numeric wire form → "1.287" (dscale fraction digits).
inline std::string numeric_text(std::string_view bytes) {
  const std::size_t ndigits = read_be(bytes.substr(0, 2));
  const std::int64_t weight = read_signed(bytes.substr(2, 2));
  const auto dscale = static_cast<std::int64_t>(read_be(bytes.substr(6, 2)));
  std::vector<std::uint64_t> digits;
  for (std::size_t i = 0; i < ndigits; ++i) digits.push_back(read_be(bytes.substr(8 + 2 * i, 2)));
  auto digit_at = [&](std::int64_t position) -> std::uint64_t {  // base-10000 digit worth 10000^position
    const std::int64_t index = weight - position;
    return index >= 0 && index < static_cast<std::int64_t>(ndigits) ? digits[static_cast<std::size_t>(index)] : 0;
  };
  std::string whole;
  for (std::int64_t p = weight < 0 ? 0 : weight; p >= 0; --p) {
    std::string group = std::to_string(digit_at(p));
    if (!whole.empty()) group.insert(0, 4 - group.size(), '0');
    whole += group;
  }
  while (whole.size() > 1 && whole[0] == '0') whole.erase(0, 1);
  if (dscale == 0) return whole;
  std::string fraction;
  for (std::int64_t p = -1; static_cast<std::int64_t>(fraction.size()) < dscale; --p) {
    const std::string group = std::to_string(digit_at(p));
    fraction += std::string(4 - group.size(), '0') + group;
  }
  return whole + "." + fraction.substr(0, static_cast<std::size_t>(dscale));
}

// Column kinds: I integer, U uuid, T timestamptz, D date, S text, N numeric, B boolean.
inline std::string render_field(const RawField& field, char kind) {
  if (!field) return "NULL";
  const std::string& v = *field;
  switch (kind) {
    case 'I': return std::to_string(read_signed(v));
    case 'U':
      return ge::to_string(
          ge::Uuid{read_be(std::string_view(v).substr(0, 8)), read_be(std::string_view(v).substr(8, 8))});
    case 'T': {
      char text[ge::kTimestampTextLength];
      ge::format_timestamp(read_signed(v) / 1000000 + 946684800, text);
      return std::string(text, ge::kTimestampTextLength);
    }
    case 'D': return ge::format_day(static_cast<ge::DayNumber>(read_signed(v) + 10957));
    case 'S': return v;
    case 'N': return numeric_text(v);
    case 'B': return v == std::string(1, '\1') ? "t" : "f";
    default: return "?";
  }
}

// Column kinds of each table, in ge::Table order (see etl/model_builder.cpp).
inline constexpr std::array<std::string_view, ge::kTableCount> kTableKinds{
    "USSSSTIIIIDIN",  // users: id, name, country, device_os, campaign, registered_at, registration id,
                      //        logins, sessions, time, last login day, transactions, revenue
    "IUTITIB",        // sessions: login id, user, login_at, logout id, logout_at, length, counted
    "IUTNSN",         // transactions: id, user, at, amount, currency, amount_usd
    "UDIIIIND",       // user_daily: user, day, logins, sessions, time, transactions, revenue, last login day
    "DSIIIIIIIINII",  // game_daily: day, country, active, paid active, logins, sessions, users w/ sessions,
                      //             time, users w/ time, transactions, revenue, new users, payers
    "SIIIIIIIIINI",   // game_totals: country, users, paid users, active, logins, sessions, users w/ sessions,
                      //              time, users w/ time, transactions, revenue, payers
    "DSIIIIII",       // game_cohorts: registration day, country, new users, retained d1, d3, d7, d14, d30
    "ITDD",           // dataset: run id, loaded_at, first day, last day
};

inline std::vector<std::string> render_rows(std::string_view stream, std::string_view kinds) {
  std::vector<std::string> out;
  for (const RawRow& row : decode_rows(stream)) {
    if (row.size() != kinds.size()) throw std::runtime_error("row has " + std::to_string(row.size()) + " fields");
    std::string text;
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) text += "|";
      text += render_field(row[i], kinds[i]);
    }
    out.push_back(std::move(text));
  }
  return out;
}

// ---- The cleaning pipeline in process: the product's stage (etl/cleaning.hpp) ----

struct PipelineResult {
  ge::CleaningResult cleaned;  // what evload load and check get
  // The same figures under the names the tests use.
  std::uint64_t lines = 0;
  std::uint64_t blank = 0;
  std::uint64_t oversized = 0;
  std::uint64_t duplicate_key_lines = 0;
  std::uint64_t accepted = 0;
  ge::DeduplicationResult dedup;
  std::map<std::uint64_t, std::string> outcome;  // line → "accepted", "blank" or describe(reason, field)
  std::vector<ge::RejectRecord> rejects;
  ge::ModelCounts counts;
  int money_scale = 2;
  ge::Decimal revenue;
  std::array<std::string, ge::kTableCount> copy;  // the raw COPY stream of each table
  std::array<std::size_t, ge::kTableCount> rows{};

  std::vector<std::string> table(ge::Table t) const {
    return render_rows(copy[static_cast<std::size_t>(t)], kTableKinds[static_cast<std::size_t>(t)]);
  }
  std::string at(std::uint64_t line) const {
    const auto it = outcome.find(line);
    return it == outcome.end() ? "no such line" : it->second;
  }
  std::uint64_t rejected() const noexcept { return rejects.size(); }
};

// The tests' side of the stage: every table's COPY stream kept in a string, in blocks of
// block_bytes (small by default, so that rows cross block boundaries), and a fixed loaded_at.
class StringCleaningHost final : public ge::CleaningHost {
 public:
  StringCleaningHost(std::array<std::string, ge::kTableCount>& copy, std::array<std::size_t, ge::kTableCount>& rows,
                     std::size_t block_bytes)
      : copy_(copy), rows_(rows), block_bytes_(block_bytes) {}

  std::unique_ptr<ge::ModelOutputs> open_outputs(std::uint64_t) override { return std::make_unique<Outputs>(*this); }
  ge::UnixSeconds loaded_at() override { return 1700000000; }

 private:
  class Outputs final : public ge::ModelOutputs {
   public:
    explicit Outputs(StringCleaningHost& host) : host_(host) {
      for (std::size_t t = 0; t < ge::kTableCount; ++t) {
        std::string* sink = &host.copy_[t];
        tables_[t] = ge::TableOutput([sink](std::string&& block) { sink->append(block); }, host.block_bytes_);
      }
    }
    ge::TableOutputs& tables() override { return tables_; }
    void finish() override {
      for (std::size_t t = 0; t < ge::kTableCount; ++t) host_.rows_[t] = tables_[t].rows();
    }

   private:
    StringCleaningHost& host_;
    ge::TableOutputs tables_;
  };

  std::array<std::string, ge::kTableCount>& copy_;
  std::array<std::size_t, ge::kTableCount>& rows_;
  std::size_t block_bytes_;
};

// The numbers of the blank lines of a file, as the product's line reader splits it.
inline std::vector<std::uint64_t> blank_lines(const std::string& path) {
  std::vector<std::uint64_t> blank;
  ge::OpenedSource opened = ge::open_content(path);
  ge::LineReader reader(std::move(opened.source), opened.file_size);
  ge::Line line;
  while (reader.next(line)) {
    if (!line.oversized && line.blank()) blank.push_back(line.number);
  }
  return blank;
}

// Runs the whole cleaning and model over an events file.
inline PipelineResult run_pipeline_file(const std::string& events_path, const ge::ExchangeRates& rates,
                                        std::size_t chunk_bytes = ge::LineReader::kDefaultChunkBytes,
                                        std::size_t block_bytes = 64) {
  PipelineResult result;
  StringCleaningHost host(result.copy, result.rows, block_bytes);
  ge::CleaningSettings settings;
  settings.read.max_line_bytes = ge::LineReader::kDefaultMaxLineBytes;
  settings.read.chunk_bytes = chunk_bytes;
  settings.run_id = 1;
  result.cleaned = ge::run_cleaning({events_path}, rates, settings, host);

  const ge::CleaningResult& cleaned = result.cleaned;
  result.lines = cleaned.read.totals.lines;
  result.blank = cleaned.read.totals.blank;
  result.oversized = cleaned.read.totals.oversized;
  result.duplicate_key_lines = cleaned.read.totals.duplicate_keys;
  result.accepted = cleaned.accepted();
  result.dedup = cleaned.order;
  result.rejects = cleaned.rejects;
  result.counts = cleaned.model;
  result.money_scale = cleaned.money_scale;
  result.revenue = cleaned.revenue_usd();
  for (const ge::RejectRecord& r : result.rejects) {
    auto [it, inserted] = result.outcome.emplace(r.line, describe(r.reason, r.field));
    if (!inserted) it->second += " AND " + describe(r.reason, r.field);  // a line rejected twice: a bug
  }
  for (const std::uint64_t n : blank_lines(events_path)) {
    auto [it, inserted] = result.outcome.emplace(n, "blank");
    if (!inserted) it->second += " AND blank";  // a blank line rejected: a bug
  }
  for (std::uint64_t n = 1; n <= result.lines; ++n) result.outcome.emplace(n, "accepted");
  return result;
}

inline PipelineResult run_pipeline(std::string_view events, std::string_view rates_text = kShippedRates,
                                   std::size_t chunk_bytes = ge::LineReader::kDefaultChunkBytes) {
  TempDir dir;
  const std::string path = dir.write("events.jsonl", events);
  const ge::ExchangeRates rates = ge::ExchangeRates::parse(rates_text, "rates");
  return run_pipeline_file(path, rates, chunk_bytes);
}

// ---- Building event lines ----

inline constexpr std::string_view kUserA = "a1a1a1a1-683b-11ee-aca7-8699b86be788";
inline constexpr std::string_view kUserB = "b2b2b2b2-683b-11ee-aca7-8699b86be788";
inline constexpr std::string_view kUserC = "c3c3c3c3-683b-11ee-aca7-8699b86be788";

// 2010-05-08 00:00:00 UTC.
inline constexpr ge::UnixSeconds kDay0 = 1273276800;

inline std::string event_line(std::uint64_t id, ge::UnixSeconds ts, std::string_view type, std::string_view user,
                              std::string_view extra_data = "") {
  std::string line = "{\"event_id\": " + std::to_string(id) + ", \"event_type\": \"" + std::string(type) +
                     "\", \"event_timestamp\": " + std::to_string(ts) + ", \"event_data\": {\"user_id\": \"" +
                     std::string(user) + "\"";
  if (!extra_data.empty()) line += ", " + std::string(extra_data);
  return line + "}}";
}
inline std::string registration(
    std::uint64_t id, ge::UnixSeconds ts, std::string_view user,
    std::string_view fields = R"("country": "DE", "name": "Horst", "device_os": "iOS", "marketing_campaign": "ads")") {
  return event_line(id, ts, "registration", user, fields);
}
inline std::string login(std::uint64_t id, ge::UnixSeconds ts, std::string_view user) {
  return event_line(id, ts, "login", user);
}
inline std::string logout(std::uint64_t id, ge::UnixSeconds ts, std::string_view user) {
  return event_line(id, ts, "logout", user);
}
inline std::string transaction(std::uint64_t id, ge::UnixSeconds ts, std::string_view user,
                               std::string_view amount = "0.99", std::string_view currency = "USD") {
  return event_line(id, ts, "transaction", user,
                    "\"transaction_amount\": " + std::string(amount) + ", \"transaction_currency\": \"" +
                        std::string(currency) + "\"");
}
// Lines joined with '\n', with a final newline.
inline std::string lines_of(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

inline std::string timestamp_text(ge::UnixSeconds ts) {
  char text[ge::kTimestampTextLength];
  ge::format_timestamp(ts, text);
  return std::string(text, ge::kTimestampTextLength);
}

}  // namespace ge_test
