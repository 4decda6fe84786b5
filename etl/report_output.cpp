#include "etl/report_output.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>

#include "etl/input_error.hpp"

namespace ge {

void emit_report(const LoadReport& report, const std::optional<std::string>& report_path, bool quiet,
                 std::string_view status, const std::string& gate_figures) {
  const std::string json = report_json_text(report);
  const bool json_on_stdout = report_path && *report_path == "-";
  if (report_path && !json_on_stdout) {
    std::ofstream out(*report_path, std::ios::binary | std::ios::trunc);
    out << json << '\n';
    out.close();  // flushes; a full disk shows here, not in a destructor that cannot say so
    if (!out) throw InputError("cannot write report " + *report_path + ": " + std::strerror(errno));
  }
  std::ostream& human = json_on_stdout ? std::cerr : std::cout;
  if (!quiet) human << summary_table(report);
  human << summary_line(report, status) << (gate_figures.empty() ? "" : " ") << gate_figures << std::endl;
  if (json_on_stdout) std::cout << json << std::endl;
}

void print_status_line(std::string_view mode, ExitCode code, const std::optional<std::int64_t>& run_id,
                       double seconds) {
  std::cout << "evload status=" << exit_status_name(code) << " mode=" << mode;
  if (run_id) std::cout << " run_id=" << *run_id;
  std::cout << " exit=" << static_cast<int>(code) << " seconds=" << std::fixed << std::setprecision(3) << seconds
            << std::endl;
}

void print_error(const db::SecretRedactor& redact, const std::string& message) {
  std::cerr << "evload: error: " << redact(message) << std::endl;
}

}  // namespace ge
