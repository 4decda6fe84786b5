#include "etl/cleaning.hpp"

#include <ctime>

#include "etl/input_error.hpp"
#include "etl/interrupt.hpp"
#include "etl/user_timelines.hpp"

namespace ge {
namespace {

void parse_step(const std::vector<std::string>& paths, const ExchangeRates& rates, const CleaningSettings& settings,
                EventStore& store, CleaningResult& result) {
  Progress silent(ProgressMode::never, 0);
  Progress& progress = settings.progress ? *settings.progress : silent;
  progress.start_reading();  // rate and ETA from here: a wait for the load lock is not in them
  try {
    result.read = read_inputs(paths, rates, store, settings.read, progress);
  } catch (const Interrupted&) {
    throw;
  } catch (const std::runtime_error& e) {  // unreadable, truncated or corrupt input: exit 3
    throw InputError(e.what());
  }
}

void order_step(EventStore& store, CleaningResult& result) {
  // Every event has its user number: the lookup's memory goes first, and the users are renumbered
  // in uuid order, so the sorts below (and so the user tables' COPY rows) follow it.
  store.release_user_index();
  result.order = deduplicate_and_order_by_user(store);
  result.events_to_replay = store.events().size();
}

void build_step(EventStore& store, const ExchangeRates& rates, const CleaningSettings& settings, CleaningHost& host,
                ModelOutputs& outputs, CleaningResult& result) {
  ModelBuilder builder(store, rates, outputs.tables());
  replay_user_timelines(store, builder);
  builder.finish(settings.run_id, host.loaded_at());
  outputs.finish();
  result.model = builder.counts();
  result.money_scale = builder.money_scale();
  result.rejects = std::move(store.rejects());
}

}  // namespace

std::uint64_t CleaningResult::accepted() const noexcept {
  std::uint64_t total = 0;
  for (const std::uint64_t n : model.accepted_by_type) total += n;
  return total;
}

Decimal CleaningResult::revenue_usd() const noexcept { return Decimal{model.revenue.units, money_scale}; }

void CleaningHost::run_step(CleaningStep, const std::function<void()>& work, const CleaningResult&) { work(); }

UnixSeconds CleaningHost::loaded_at() { return std::time(nullptr); }

CleaningResult run_cleaning(const std::vector<std::string>& paths, const ExchangeRates& rates,
                            const CleaningSettings& settings, CleaningHost& host) {
  CleaningResult result;
  EventStore store;  // the events live from parse to build only; the rejects leave in the result
  host.run_step(
      CleaningStep::parse, [&] { parse_step(paths, rates, settings, store, result); }, result);
  std::unique_ptr<ModelOutputs> outputs;
  host.run_step(
      CleaningStep::order,
      [&] {
        // First: a load's COPY connections open and create their tables while the sort runs.
        outputs = host.open_outputs(store.events().size());
        order_step(store, result);
      },
      result);
  host.run_step(
      CleaningStep::build, [&] { build_step(store, rates, settings, host, *outputs, result); }, result);
  return result;
}

}  // namespace ge
