#pragma once
// What a run found and did: the cleaning counts of SPEC §2 under the fixture report.json's field
// names, the model's counts, and the time of each phase.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "common/reason.hpp"
#include "etl/cleaning.hpp"
#include "etl/event_store.hpp"
#include "etl/input_files.hpp"
#include "etl/model_builder.hpp"

namespace ge {

struct PhaseTime {
  std::string name;
  double seconds = 0;
};

struct LoadReport {
  std::string mode;                    // "load" or "check"
  std::string events_path;             // the input files, comma-separated
  std::vector<InputFileStats> inputs;  // every input file, in the union's order
  std::uint64_t bytes_read = 0;        // content bytes (decompressed)
  std::uint64_t lines_total = 0;
  std::uint64_t blank = 0;
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  std::array<std::uint64_t, kReasonCount> rejected_by_reason{};
  std::map<std::string, std::uint64_t> rejected_by_field;  // "reason:field"
  std::uint64_t lines_with_duplicate_keys = 0;
  std::uint64_t ambiguous_same_key_duplicates = 0;
  std::uint64_t oversized_lines = 0;
  ModelCounts model;
  Decimal revenue_usd;  // exact
  std::vector<PhaseTime> phases;
  double seconds_total = 0;
  std::uint64_t peak_rss_bytes = 0;
  std::optional<std::int64_t> run_id;
  std::optional<std::string> generation_schema;
  std::optional<std::string> rejects_path;

  // The cleaning stage's counts as far as it got (call after each of its steps): the read, the
  // deduplication, the model and the rejects.
  void record(const CleaningResult& cleaned);
  // Counts rejects by reason and field.
  void tally_rejects(const std::vector<RejectRecord>& rejects);
  double reject_ratio() const noexcept {
    const auto judged = accepted + rejected;
    return judged == 0 ? 0.0 : static_cast<double>(rejected) / static_cast<double>(judged);
  }
  // The SPEC invariant: every line read is accepted, rejected or blank.
  bool lines_accounted_for() const noexcept { return accepted + rejected + blank == lines_total; }
};

boost::json::object to_json(const LoadReport& report);
// to_json(report) as JSON text, with revenue_usd written as the exact decimal at cent precision
// ("9989999999999999990.01"): a double would print 9.99e+18 and lose the cents. This is the text
// of the report file, of --report - and of evmeta.load_runs.report.
std::string report_json_text(const LoadReport& report);
// A human summary for the terminal or cron mail.
std::string summary_table(const LoadReport& report);
// One machine-readable line: key=value pairs.
std::string summary_line(const LoadReport& report, std::string_view status);

std::uint64_t peak_rss_bytes();

}  // namespace ge
