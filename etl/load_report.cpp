#include "etl/load_report.hpp"

#include <sys/resource.h>

#include <cstdio>
#include <sstream>

#include "common/json_text.hpp"
#include "common/utc_day.hpp"

namespace ge {

void LoadReport::record(const CleaningResult& cleaned) {
  const ReadCounts& read = cleaned.read.totals;
  lines_total = read.lines;
  blank = read.blank;
  oversized_lines = read.oversized;
  lines_with_duplicate_keys = read.duplicate_keys;
  bytes_read = read.bytes;
  inputs = cleaned.read.files;
  ambiguous_same_key_duplicates = cleaned.order.ambiguous_same_key_duplicates;
  model = cleaned.model;
  revenue_usd = cleaned.revenue_usd();
  accepted = cleaned.accepted();
  tally_rejects(cleaned.rejects);
}

void LoadReport::tally_rejects(const std::vector<RejectRecord>& rejects) {
  rejected = rejects.size();
  rejected_by_reason.fill(0);
  rejected_by_field.clear();
  for (const RejectRecord& r : rejects) {
    ++rejected_by_reason[static_cast<std::size_t>(r.reason)];
    if (r.reason == Reason::missing_field || r.reason == Reason::wrong_type || r.reason == Reason::invalid_value) {
      ++rejected_by_field[std::string(to_string(r.reason)) + ":" + std::string(to_string(r.field))];
    }
  }
}

boost::json::object to_json(const LoadReport& r) {
  namespace json = boost::json;
  json::object out;
  out["mode"] = r.mode;
  out["events_path"] = r.events_path;
  json::array inputs;
  for (const InputFileStats& file : r.inputs) {
    inputs.push_back(json::object{{"path", file.path},
                                  {"compression", file.compression},
                                  {"bytes", file.bytes},
                                  {"content_bytes", file.content_bytes},
                                  {"lines", file.lines}});
  }
  out["inputs"] = std::move(inputs);
  out["bytes_read"] = r.bytes_read;
  out["lines_total"] = r.lines_total;
  out["blank"] = r.blank;
  out["accepted"] = r.accepted;
  out["rejected"] = r.rejected;
  json::object by_reason;
  for (std::size_t i = 0; i < kReasonCount; ++i) by_reason[to_string(static_cast<Reason>(i))] = r.rejected_by_reason[i];
  out["rejected_by_reason"] = std::move(by_reason);
  json::object by_field;
  for (const auto& [key, count] : r.rejected_by_field) by_field[key] = count;
  out["rejected_by_field"] = std::move(by_field);
  json::object by_type;
  for (std::size_t i = 0; i < kEventTypeCount; ++i)
    by_type[to_string(static_cast<EventType>(i))] = r.model.accepted_by_type[i];
  out["accepted_by_type"] = std::move(by_type);
  out["users"] = r.model.users;
  out["paid_users"] = r.model.paid_users;
  json::object by_country;
  for (const auto& [country, count] : r.model.users_by_country) by_country[country] = count;
  out["users_by_country"] = std::move(by_country);
  out["logins"] = r.model.logins;
  out["sessions_all"] = r.model.sessions_all;
  out["sessions_closed"] = r.model.sessions_closed;
  out["sessions_counted"] = r.model.sessions_counted;
  out["time_spent_seconds"] = r.model.time_spent_seconds;
  out["transactions"] = r.model.transactions;
  // Rounded to cents as the SPEC reports money; the exact sum beside it. A double here, for
  // readers of the object; report_json_text() writes the exact decimal instead.
  out["revenue_usd"] = std::stod(r.revenue_usd.to_string_rounded(2));
  out["revenue_usd_exact"] = r.revenue_usd.to_string();
  out["last_data_day"] =
      r.model.last_event ? json::value(format_day(day_of(*r.model.last_event))) : json::value(nullptr);
  out["first_event_day"] =
      r.model.first_event ? json::value(format_day(day_of(*r.model.first_event))) : json::value(nullptr);
  out["lines_with_duplicate_keys"] = r.lines_with_duplicate_keys;
  out["ambiguous_same_key_duplicates"] = r.ambiguous_same_key_duplicates;
  out["oversized_lines"] = r.oversized_lines;
  json::object phases;
  for (const auto& phase : r.phases) phases[phase.name] = phase.seconds;
  out["phase_seconds"] = std::move(phases);
  out["seconds_total"] = r.seconds_total;
  out["events_per_second"] = r.seconds_total > 0 ? static_cast<double>(r.accepted + r.rejected) / r.seconds_total : 0.0;
  out["peak_rss_bytes"] = r.peak_rss_bytes;
  if (r.run_id) out["run_id"] = *r.run_id;
  if (r.generation_schema) out["generation_schema"] = *r.generation_schema;
  if (r.rejects_path) out["rejects_path"] = *r.rejects_path;
  return out;
}

std::string report_json_text(const LoadReport& r) {
  boost::json::object object = to_json(r);
  // Boost.JSON holds numbers as doubles or 64-bit integers; the exact decimal is spliced into the
  // text in place of a null. A string value cannot produce `"revenue_usd":null` (its quotes
  // would be escaped), so the only match is the key itself.
  object["revenue_usd"] = nullptr;
  std::string text = to_json_text(object);
  static constexpr std::string_view kPlaceholder = "\"revenue_usd\":null";
  const auto at = text.find(kPlaceholder);
  if (at != std::string::npos) {
    text.replace(at, kPlaceholder.size(), "\"revenue_usd\":" + r.revenue_usd.to_string_rounded(2));
  }
  return text;
}

std::string summary_table(const LoadReport& r) {
  std::ostringstream out;
  char line[160];
  auto row = [&](const char* label, std::uint64_t value) {
    std::snprintf(line, sizeof line, "  %-28s %14llu\n", label, static_cast<unsigned long long>(value));
    out << line;
  };
  out << "evload " << r.mode << ": " << r.events_path << "\n";
  if (r.inputs.size() > 1) {
    for (const InputFileStats& file : r.inputs) {
      std::snprintf(line, sizeof line, "    %-40s %5s %14llu bytes %12llu lines\n", file.path.c_str(),
                    file.compression.c_str(), static_cast<unsigned long long>(file.bytes),
                    static_cast<unsigned long long>(file.lines));
      out << line;
    }
  }
  row("lines read", r.lines_total);
  row("blank", r.blank);
  row("accepted", r.accepted);
  row("rejected", r.rejected);
  for (std::size_t i = 0; i < kReasonCount; ++i) {
    if (r.rejected_by_reason[i] == 0) continue;
    const std::string label = "  " + std::string(to_string(static_cast<Reason>(i)));
    row(label.c_str(), r.rejected_by_reason[i]);
  }
  row("users", r.model.users);
  row("paid users", r.model.paid_users);
  row("logins", r.model.logins);
  row("sessions (all)", r.model.sessions_all);
  row("sessions (counted)", r.model.sessions_counted);
  row("transactions", r.model.transactions);
  std::snprintf(line, sizeof line, "  %-28s %14s\n", "revenue (USD)", r.revenue_usd.to_string_rounded(2).c_str());
  out << line;
  const std::string last_day = r.model.last_event ? format_day(day_of(*r.model.last_event)) : "-";
  std::snprintf(line, sizeof line, "  %-28s %14s\n", "last data day", last_day.c_str());
  out << line;
  out << "  phases:";
  for (const auto& phase : r.phases) {
    std::snprintf(line, sizeof line, " %s %.2fs", phase.name.c_str(), phase.seconds);
    out << line;
  }
  std::snprintf(line, sizeof line, "\n  total %.2fs, peak memory %.1f MiB\n", r.seconds_total,
                static_cast<double>(r.peak_rss_bytes) / (1024.0 * 1024.0));
  out << line;
  return out.str();
}

std::string summary_line(const LoadReport& r, std::string_view status) {
  std::ostringstream out;
  out << "evload status=" << status << " mode=" << r.mode;
  if (r.run_id) out << " run_id=" << *r.run_id;
  out << " lines=" << r.lines_total << " accepted=" << r.accepted << " rejected=" << r.rejected << " blank=" << r.blank
      << " users=" << r.model.users << " seconds=" << r.seconds_total;
  return out.str();
}

std::uint64_t peak_rss_bytes() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024u;
}

}  // namespace ge
