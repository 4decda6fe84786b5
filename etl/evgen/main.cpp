// evgen: writes a realistic, deterministic events.jsonl (SPEC §1.1) of any size. Command line only;
// the generator itself is generator.hpp.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

#include "common/utc_day.hpp"
#include "common/version.hpp"
#include "etl/evgen/generator.hpp"
#include "etl/evgen/population.hpp"

namespace {

constexpr const char* kExamples = R"(
Examples:
  evgen --users 300 --seed 1 --anomalies 0.02 > events.jsonl
  evgen --events 10000000 --seed 7 --out /tmp/events-10m.jsonl --progress
  evgen --users 3000 --seed 2010 --anomalies 0.02 --out data/events.jsonl --rates-out data/exchange_rates.jsonl
  evgen --users 50 --anomalies 0 --start-date 2023-01-01 --days 3 | head

The same arguments always produce the same bytes. --anomalies is the share of clean lines that
get a deliberate defect (every rejection reason of SPEC section 2, blank and CRLF lines, odd
but valid spellings); 0 gives a clean file. Lines are shuffled with bounded memory
(--shuffle-mb; it changes the line order, not the lines).)";

// Appends rather than inserting: GCC 12 at -O3 misreads insert() here as an overlapping memcpy
// (-Wrestrict), which -Werror turns into a failed Release build.
std::string with_commas(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"evgen: generate a realistic, deterministic game events.jsonl (SPEC section 1.1)"};
  app.footer(kExamples);
  app.set_version_flag("--version", "evgen " + std::string(ge::kVersion));
  ge::evgen::Options options;
  std::string out = "-";
  std::string rates_out;
  std::string start_date = "2010-05-08";
  std::uint64_t events = 0;
  std::uint64_t shuffle_mb = options.shuffle_bytes >> 20;
  bool progress = false;
  bool quiet = false;

  app.add_option("--users,-u", options.users, "Number of players to simulate")
      ->check(CLI::Range(std::uint64_t{1}, ge::evgen::Population::kMaxUsers))
      ->capture_default_str();
  app.add_option("--seed,-s", options.seed, "Random seed")->capture_default_str();
  app.add_option("--anomalies,-a", options.anomaly_rate, "Share of lines with a deliberate anomaly, 0..1")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--events,-n", events, "Stop after about N lines (chooses --users to fit; overrides it)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{3'000'000'000}));
  app.add_option("--out,-o", out, "Output file, - for stdout")->capture_default_str();
  app.add_option("--rates-out", rates_out, "Also write the standard exchange_rates.jsonl here");
  app.add_option("--start-date", start_date, "First UTC day of the period (YYYY-MM-DD)")
      ->check(CLI::Validator(
          [](std::string& text) { return ge::parse_day(text) ? std::string{} : "not a YYYY-MM-DD day: " + text; },
          "DATE"))
      ->capture_default_str();
  app.add_option("--days", options.days, "Length of the period in days")
      ->check(CLI::Range(1, 36500))
      ->capture_default_str();
  app.add_option("--growth", options.daily_growth, "Daily growth factor of registrations (1 = flat)")
      ->check(CLI::Range(0.01, 100.0))
      ->capture_default_str();
  app.add_option("--shuffle-mb", shuffle_mb, "Memory for shuffling, in MiB")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 20))
      ->capture_default_str();
  app.add_flag("--progress", progress, "Show progress on stderr (when it is a terminal)");
  app.add_flag("--quiet,-q", quiet, "No summary line on stderr");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help ends here with 0; a usage error with 2, as evload's and evserve's do (CLI11's own
    // codes, 105 to 115 by kind of mistake, are nothing a script can rely on).
    return app.exit(e) == 0 ? 0 : 2;
  }

  options.start_day = *ge::parse_day(start_date);
  options.shuffle_bytes = shuffle_mb << 20;
  if (events != 0) options.events = events;

  try {
    const auto began = std::chrono::steady_clock::now();
    if (!rates_out.empty()) {
      std::FILE* rates = std::fopen(rates_out.c_str(), "wb");
      const std::string_view text = ge::evgen::exchange_rates_jsonl();
      if (rates == nullptr || std::fwrite(text.data(), 1, text.size(), rates) != text.size() ||
          std::fclose(rates) != 0) {
        std::fprintf(stderr, "evgen: cannot write %s\n", rates_out.c_str());
        return 1;
      }
    }

    ge::evgen::Generator generator(options);
    const bool show_progress = progress && isatty(STDERR_FILENO) == 1;
    ge::evgen::ProgressFn on_progress;
    if (show_progress) {
      on_progress = [](const ge::evgen::Progress& p) {
        std::fprintf(stderr, "\revgen: pass %u/%u, %3.0f%% of users ", p.pass, p.passes,
                     100.0 * static_cast<double>(p.users_done) / static_cast<double>(p.users));
        std::fflush(stderr);
      };
    }

    std::FILE* file = stdout;
    if (out != "-") {
      file = std::fopen(out.c_str(), "wb");
      if (file == nullptr) {
        std::fprintf(stderr, "evgen: cannot open %s for writing\n", out.c_str());
        return 1;
      }
    }
    const ge::evgen::Summary summary = generator.write(file, on_progress);
    if (file != stdout && std::fclose(file) != 0) {
      std::fprintf(stderr, "evgen: cannot write %s\n", out.c_str());
      return 1;
    }
    if (show_progress) std::fputs("\n", stderr);
    if (!quiet) {
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
      std::fprintf(stderr, "evgen: %s lines (%s blank), %s users, %s bytes, %u shuffle pass%s, %.1f s -> %s\n",
                   with_commas(summary.lines).c_str(), with_commas(summary.blank_lines).c_str(),
                   with_commas(summary.users).c_str(), with_commas(summary.bytes).c_str(), summary.passes,
                   summary.passes == 1 ? "" : "es", seconds, out == "-" ? "stdout" : out.c_str());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "evgen: %s\n", e.what());
    return 1;
  }
  return 0;
}
