#include "etl/load_cleaning.hpp"

#include "etl/generation_writer.hpp"

namespace ge {
namespace {

// The rows into the generation's writer. finish() ends its COPY streams: the indexes build from
// there on, beside the rejects and gates; the load waits for them and commits in its index phase.
class CopyOutputs final : public ModelOutputs {
 public:
  explicit CopyOutputs(GenerationWriter& writer) : writer_(writer) {}
  TableOutputs& tables() override { return writer_.outputs(); }
  void finish() override { writer_.end_rows(); }

 private:
  GenerationWriter& writer_;
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
      phases_.run(
          "parse",
          [&] {
            work();
            report_.record(so_far);
          },
          [&] { return plural(so_far.read.totals.lines, "line"); }, /*ticking=*/false);
      return;
    case CleaningStep::order:
      phases_.run(
          "order",
          [&] {
            work();
            report_.record(so_far);
          },
          [&] { return plural(so_far.events_to_replay, "event"); });
      return;
    case CleaningStep::build:
      phases_.run(
          target_ ? "build_and_copy" : "build",
          [&] {
            work();
            report_.record(so_far);
          },
          [&] { return plural(so_far.model.users, "user"); });
      return;
  }
}

std::unique_ptr<ModelOutputs> LoadCleaningHost::open_outputs(std::uint64_t events_parsed) {
  if (target_) return std::make_unique<CopyOutputs>(target_->open_writer(events_parsed));
  return std::make_unique<DiscardedOutputs>();
}

}  // namespace ge
