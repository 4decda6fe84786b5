#pragma once
// The cleaning stage: SPEC §2 and §3 from the input files to the model's COPY rows, without a
// database. `evload load` (rows to the generation's writer), `evload check` (rows counted, then dropped)
// and the unit tests (rows kept as strings) all run this one function, so what the tests check is
// what the product does. Its steps, in order:
//   parse  every input read and each line parsed into one event store         (SPEC §2 steps 1–2)
//   order  events ordered by user, then SPEC order; later copies of an id rejected  (steps 3–4)
//   build  each user's timeline replayed through the state machine (step 5), the model built (§3)
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/money.hpp"
#include "common/utc_day.hpp"
#include "etl/event_order.hpp"
#include "etl/event_store.hpp"
#include "etl/exchange_rates.hpp"
#include "etl/input_reader.hpp"
#include "etl/model_builder.hpp"
#include "etl/progress.hpp"
#include "etl/table_output.hpp"

namespace ge {

enum class CleaningStep { parse, order, build };

// What the stage has found so far; complete once run_cleaning returns.
struct CleaningResult {
  ReadResult read;                     // parse: lines, blank, oversized, duplicate keys, bytes, files
  DeduplicationResult order;           // order
  std::uint64_t events_to_replay = 0;  // order: the events left after deduplication
  ModelCounts model;                   // build
  int money_scale = 2;                 // build: the scale of model.revenue
  std::vector<RejectRecord> rejects;   // build: every rejected line, by position (etl/input_files.hpp)

  std::uint64_t accepted() const noexcept;
  Decimal revenue_usd() const noexcept;
};

// Where the model's COPY rows go, opened when the order step starts (a load's connections then
// open and create their tables while the events sort) and written by the build step. Abandoned
// unfinished (the build failed or was interrupted), the rows are not committed: a load's writer
// rolls its COPYs back when the run ends, before the failure is recorded (etl/load_command.cpp).
class ModelOutputs {
 public:
  virtual ~ModelOutputs() = default;
  virtual TableOutputs& tables() = 0;
  // After the last row (the builder has flushed every table): the load ends its COPYs here and
  // throws the first failure so far (its indexes build on; the load commits them later).
  virtual void finish() {}
};

// What the one who runs the stage provides besides the data.
class CleaningHost {
 public:
  virtual ~CleaningHost() = default;
  // Runs one step. `so_far` is the result as this step leaves it, once `work` returns. The load
  // times and shows each step as a phase and answers a signal between steps; by default the step
  // just runs.
  virtual void run_step(CleaningStep step, const std::function<void()>& work, const CleaningResult& so_far);
  // Asked for when the order step starts, with the number of events parsed (deduplication drops
  // a few % of them later): the load connects its COPY streams and creates their tables then,
  // while the events are sorted (a small load writes on its own connection instead).
  virtual std::unique_ptr<ModelOutputs> open_outputs(std::uint64_t events_parsed) = 0;
  // The dataset row's loaded_at, asked for when the model is finished. By default: now.
  virtual UnixSeconds loaded_at();
};

struct CleaningSettings {
  ReadSettings read;
  Progress* progress = nullptr;  // the reading bar of the parse step; none: nothing shown
  std::int64_t run_id = 0;       // for the dataset row (a check has none: 0)
};

// Throws InputError (etl/input_error.hpp) when an input cannot be read, Interrupted on a signal.
CleaningResult run_cleaning(const std::vector<std::string>& paths, const ExchangeRates& rates,
                            const CleaningSettings& settings, CleaningHost& host);

}  // namespace ge
