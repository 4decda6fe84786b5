#pragma once
// What a run of evload prints: its report as JSON (a file or stdout), the table for people, one
// key=value line for cron mail and log scrapers, and its errors.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/db/conninfo.hpp"
#include "etl/exit_policy.hpp"
#include "etl/load_report.hpp"

namespace ge {

// The report of a run that got through its phases: the JSON to report_path ("-": stdout, and the
// rest to stderr), the table unless quiet, and the summary line with `status` and gate figures,
// which --quiet keeps. Throws InputError when the report file cannot be written.
void emit_report(const LoadReport& report, const std::optional<std::string>& report_path, bool quiet,
                 std::string_view status, const std::string& gate_figures = {});

// The key=value line of a run that printed no report (an error, a signal, bad usage): cron mail
// and log scrapers then find one line per run, whatever happened.
void print_status_line(std::string_view mode, ExitCode code, const std::optional<std::int64_t>& run_id, double seconds);

// "evload: error: …" on stderr. Every message that may hold a libpq error or a connection string
// goes through the redactor of the run's --db (common/db/conninfo.hpp): no password reaches the
// terminal, cron mail or the journal.
void print_error(const db::SecretRedactor& redact, const std::string& message);

}  // namespace ge
