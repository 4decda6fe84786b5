#pragma once
// The cleaning stage (etl/cleaning.hpp) as `evload load` and `evload check` run it: each step a
// timed phase of the run, the report filled in as each step ends, and the model's rows streamed
// to the new generation's tables by the parallel COPY (a load) or counted and dropped (a check).
#include <cstddef>
#include <memory>
#include <string>

#include "etl/cleaning.hpp"
#include "etl/load_report.hpp"
#include "etl/phase_clock.hpp"

namespace ge {

// Where a load's COPY rows go: the generation's schema, through `conninfo`.
struct CopyTarget {
  std::string conninfo;
  std::string schema;
  std::size_t block_bytes = 0;
};

class LoadCleaningHost final : public CleaningHost {
 public:
  // target: a load's generation; none: a check.
  LoadCleaningHost(PhaseClock& phases, LoadReport& report, std::optional<CopyTarget> target)
      : phases_(phases), report_(report), target_(std::move(target)) {}

  void run_step(CleaningStep step, const std::function<void()>& work, const CleaningResult& so_far) override;
  std::unique_ptr<ModelOutputs> open_outputs() override;

 private:
  PhaseClock& phases_;
  LoadReport& report_;
  std::optional<CopyTarget> target_;
};

}  // namespace ge
