#include "etl/quality_gates.hpp"

#include <cstdio>

#include "common/utc_day.hpp"

namespace ge {
namespace {
std::string fixed(double value, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}
std::string percent(double ratio) { return fixed(ratio * 100.0, 1) + "%"; }

// A drop of the measure from live to new, as a share of live (0 when it grew or live is 0).
double drop_of(std::uint64_t live, std::uint64_t fresh) {
  if (live == 0 || fresh >= live) return 0.0;
  return static_cast<double>(live - fresh) / static_cast<double>(live);
}
}  // namespace

DatasetMeasures measures_of(const LoadReport& report) {
  DatasetMeasures m;
  m.users = report.model.users;
  m.accepted_events = report.accepted;
  m.last_day_active_users = report.model.last_day_active_users;
  if (report.model.last_event) m.last_data_day = format_day(day_of(*report.model.last_event));
  return m;
}

std::optional<DatasetMeasures> live_measures(db::Connection& conn) {
  auto live = conn.exec("SELECT 1 FROM pg_namespace WHERE nspname = 'ev_live'");
  if (live.rows() == 0) return std::nullopt;
  // ev_live.dataset first (the readers' lock protocol of g10_tables.sql). Accepted events are not
  // a table of their own: they come from the live run's report; a generation loaded before the
  // reports had them counts 0 there, which the gate treats as "unknown" (no drop). The users are
  // summed from game_totals (one row per country, each counting its users) rather than counted
  // in users: the same figure without reading 1.5M index entries at 10M events.
  auto result = conn.exec(
      "SELECT d.last_data_day::text,"
      " (SELECT coalesce(sum(users), 0) FROM ev_live.game_totals),"
      " (SELECT coalesce(sum(active_users), 0) FROM ev_live.game_daily WHERE day = d.last_data_day),"
      " coalesce((SELECT (r.report->>'accepted')::bigint FROM evmeta.load_runs r WHERE r.run_id = d.run_id), 0) "
      "FROM ev_live.dataset d");
  if (result.rows() == 0) return std::nullopt;
  DatasetMeasures m;
  m.last_data_day = std::string(result.optional_value(0, 0).value_or(""));
  m.users = std::stoull(std::string(result.value(0, 1)));
  m.last_day_active_users = std::stoull(std::string(result.value(0, 2)));
  m.accepted_events = std::stoull(std::string(result.value(0, 3)));
  return m;
}

std::optional<GateFailure> failed_gate(const GateLimits& limits, const LoadReport& report,
                                       const std::optional<DatasetMeasures>& live) {
  if (report.accepted == 0 && !limits.allow_empty) {
    return GateFailure{"no_events", "no_events", "no events",
                       "no event was accepted (" + std::to_string(report.lines_total) + " lines read, " +
                           std::to_string(report.rejected) +
                           " rejected); --allow-empty lets such a file make an empty dataset live",
                       "accepted=0"};
  }
  // --max-rejects is off unless given: an explicit count limit stands even with --force.
  if (limits.max_rejects && report.rejected > *limits.max_rejects) {
    return GateFailure{"reject_limit", "max_rejects", "reject limit",
                       std::to_string(report.rejected) + " lines rejected, more than --max-rejects " +
                           std::to_string(*limits.max_rejects),
                       "rejected=" + std::to_string(report.rejected) + " limit=" + std::to_string(*limits.max_rejects)};
  }
  if (limits.force) return std::nullopt;
  const double ratio = report.reject_ratio();
  if (ratio > limits.max_reject_ratio) {
    return GateFailure{"reject_limit", "reject_ratio", "reject limit",
                       "quality gate reject_ratio: " + percent(ratio) + " of the lines were rejected (" +
                           std::to_string(report.rejected) + " of " +
                           std::to_string(report.accepted + report.rejected) + "), more than --max-reject-ratio " +
                           fixed(limits.max_reject_ratio, 4) + " allows; --force makes it live anyway",
                       "ratio=" + fixed(ratio, 4) + " limit=" + fixed(limits.max_reject_ratio, 4)};
  }
  if (!live) return std::nullopt;
  const DatasetMeasures fresh = measures_of(report);
  struct Measure {
    const char* name;
    const char* words;
    std::uint64_t live, fresh;
  };
  const Measure measures[] = {
      {"users", "users", live->users, fresh.users},
      {"accepted_events", "accepted events", live->accepted_events, fresh.accepted_events},
      {"last_day_active_users", "active users of the last data day", live->last_day_active_users,
       fresh.last_day_active_users},
  };
  for (const Measure& m : measures) {
    const double drop = drop_of(m.live, m.fresh);
    if (drop <= limits.max_shrink) continue;
    std::string words = m.words;
    if (std::string_view(m.name) == "last_day_active_users") {
      words += " (" + (live->last_data_day.empty() ? std::string("-") : live->last_data_day) + " live, " +
               (fresh.last_data_day.empty() ? std::string("-") : fresh.last_data_day) + " new)";
    }
    return GateFailure{"shrink_limit", std::string("shrink:") + m.name, "shrink limit",
                       "quality gate shrink: " + words + " would drop by " + percent(drop) +
                           " against the live data (" + std::to_string(m.live) + " → " + std::to_string(m.fresh) +
                           "), more than --max-shrink " + fixed(limits.max_shrink, 4) +
                           " allows; --force makes it live anyway",
                       "live=" + std::to_string(m.live) + " new=" + std::to_string(m.fresh) +
                           " drop=" + fixed(drop, 4) + " limit=" + fixed(limits.max_shrink, 4)};
  }
  return std::nullopt;
}

}  // namespace ge
