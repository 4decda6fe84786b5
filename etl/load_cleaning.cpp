#include "etl/load_cleaning.hpp"

#include "etl/parallel_copy.hpp"

namespace ge {
namespace {

// One COPY stream per table into the generation, committed by finish().
class CopyOutputs final : public ModelOutputs {
 public:
  explicit CopyOutputs(const CopyTarget& target) : copy_(target.conninfo, target.schema, target.block_bytes) {}
  TableOutputs& tables() override { return copy_.outputs(); }
  void finish() override { copy_.finish(); }

 private:
  ParallelCopy copy_;
};

// evload check: the rows are formatted (so the check costs what the load's build does) and dropped.
class DiscardedOutputs final : public ModelOutputs {
 public:
  TableOutputs& tables() override { return tables_; }

 private:
  TableOutputs tables_;
};

}  // namespace

void LoadCleaningHost::run_step(CleaningStep step, const std::function<void()>& work, const CleaningResult& so_far) {
  switch (step) {
    case CleaningStep::parse:
      phases_.run("parse", [&] { work(); report_.record(so_far); },
                  [&] { return plural(so_far.read.totals.lines, "line"); }, /*ticking=*/false);
      return;
    case CleaningStep::order:
      phases_.run("order", [&] { work(); report_.record(so_far); },
                  [&] { return plural(so_far.events_to_replay, "event"); });
      return;
    case CleaningStep::build:
      phases_.run(target_ ? "build_and_copy" : "build", [&] { work(); report_.record(so_far); },
                  [&] { return plural(so_far.model.users, "user"); });
      return;
  }
}

std::unique_ptr<ModelOutputs> LoadCleaningHost::open_outputs() {
  if (target_) return std::make_unique<CopyOutputs>(*target_);
  return std::make_unique<DiscardedOutputs>();
}

}  // namespace ge
