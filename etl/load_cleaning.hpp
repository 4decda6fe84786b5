#pragma once
// The cleaning stage (etl/cleaning.hpp) as `evload load` and `evload check` run it: each step a
// timed phase of the run, the report filled in as each step ends, and the model's rows streamed
// to the new generation's tables by its writer (a load) or counted and dropped (a check).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "etl/cleaning.hpp"
#include "etl/load_report.hpp"
#include "etl/phase_clock.hpp"

namespace ge {

class GenerationWriter;

// Where a load's COPY rows go: the writer of its generation (etl/generation_writer.hpp), opened
// by the load for `events` parsed events when the order step starts (its connections open and
// its tables are created while the events sort). The load keeps it past the build (its indexes
// build on while the rejects and gates run) and waits for it.
struct CopyTarget {
  std::function<GenerationWriter&(std::uint64_t events)> open_writer;
};

class LoadCleaningHost final : public CleaningHost {
 public:
  // target: a load's generation; none: a check.
  LoadCleaningHost(PhaseClock& phases, LoadReport& report, std::optional<CopyTarget> target)
      : phases_(phases), report_(report), target_(std::move(target)) {}

  void run_step(CleaningStep step, const std::function<void()>& work, const CleaningResult& so_far) override;
  std::unique_ptr<ModelOutputs> open_outputs(std::uint64_t events_parsed) override;

 private:
  PhaseClock& phases_;
  LoadReport& report_;
  std::optional<CopyTarget> target_;
};

}  // namespace ge
