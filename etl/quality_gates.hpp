#pragma once
// The quality gates: what a cleaned file must pass before it may replace the live data. A file
// that is mostly rejects, or that would make the dataset much smaller than the live one (a
// truncated or wrong export), is not made live: exit 4, the gate and the figures named, the live
// generation untouched. Defaults are in docs/operations.md ("Quality gates"), with the reasons.
#include <cstdint>
#include <optional>
#include <string>

#include "common/db/connection.hpp"
#include "etl/load_report.hpp"

namespace ge {

// Up to 10 % of the judged lines may be rejected: the fixtures, dirty by design, reject 3.5–4.3 %.
inline constexpr double kDefaultMaxRejectRatio = 0.10;
// Users, accepted events and the last data day's active users may each drop by up to half.
inline constexpr double kDefaultMaxShrink = 0.5;

struct GateLimits {
  std::optional<std::uint64_t> max_rejects;  // only when given
  double max_reject_ratio = kDefaultMaxRejectRatio;
  double max_shrink = kDefaultMaxShrink;
  bool allow_empty = false;
  bool force = false;  // skips the reject-ratio and shrink gates (not --max-rejects nor --allow-empty)
};

// What the shrink gate compares, of the new file and of the live generation.
struct DatasetMeasures {
  std::uint64_t users = 0;
  std::uint64_t accepted_events = 0;
  std::uint64_t last_day_active_users = 0;
  std::string last_data_day;  // "" when nothing was accepted
};

struct GateFailure {
  std::string status;   // the summary line's status= word: no_events, reject_limit, shrink_limit
  std::string gate;     // gate=… on the summary line: no_events, max_rejects, reject_ratio, shrink:users, …
  std::string label;    // evmeta.load_runs.error starts with it
  std::string message;  // one sentence for people, with the figures and the option that decides
  std::string figures;  // key=value pairs for the summary line
};

DatasetMeasures measures_of(const LoadReport& report);
// The live generation's measures; nullopt when nothing is live yet (the first load passes).
std::optional<DatasetMeasures> live_measures(db::Connection& conn);

// The first gate the run fails, nullopt when it may go live. `live` is nullopt when there is no
// live generation or it is not known (evload check without --db): then no shrink gate.
std::optional<GateFailure> failed_gate(const GateLimits& limits, const LoadReport& report,
                                       const std::optional<DatasetMeasures>& live);

}  // namespace ge
