#pragma once
// The live generation and the ones kept behind it. A load renames ev_live to ev_retired_<its run>
// instead of dropping it, and keeps the newest N retired (--keep-generations, default 1), so
// `evload rollback` can make the previous data live again with the same atomic swap the load
// uses; `evload generations` lists them.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/db/connection.hpp"

namespace ge {

inline constexpr const char* kRetiredPrefix = "ev_retired_";

// Renames `schema` to ev_live in one short transaction, retiring the live one (if any) to
// ev_retired_<its run_id>; `in_transaction` runs inside it (the run's bookkeeping). Readers see the
// old data before the commit and the new after, never a mix, and never an error (the lock protocol
// of g10_tables.sql). Retries when readers that break the protocol are in the way.
void make_live(db::Connection& conn, const std::string& schema, const std::function<void()>& in_transaction);

// Drops the retired generations beyond the `keep` most recently retired (0 keeps none).
void prune_generations(db::Connection& conn, int keep);

struct GenerationInfo {
  std::string schema;  // ev_live or ev_retired_<run>
  std::int64_t run_id = 0;
  std::string loaded_at;      // UTC
  std::string retired_at;     // "" for the live one
  std::string last_data_day;  // "" when empty
  std::uint64_t users = 0;
  std::optional<std::uint64_t> accepted_events;  // from the run's report, when still kept
  std::string events_path;
};

// The live generation first, then the retired ones, most recently retired first.
std::vector<GenerationInfo> list_generations(db::Connection& conn);

// A table for people: one line per generation (live first) with its run, times and counts.
std::string generations_table(const std::vector<GenerationInfo>& generations);

// Makes the retired generation of run `run_id` (default: the most recently retired) live again;
// the generation it replaces is retired in its turn, so a second rollback undoes the first.
// Needs the load lock. Returns the run made live; throws std::runtime_error when there is none.
std::int64_t roll_back(db::Connection& conn, std::optional<std::int64_t> run_id);

}  // namespace ge
