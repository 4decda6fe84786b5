#include "etl/load_command.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <thread>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>

#include <sys/stat.h>
#include <unistd.h>


#include "common/db/connection.hpp"
#include "common/json_text.hpp"
#include "etl/event_order.hpp"
#include "etl/event_parser.hpp"
#include "etl/event_store.hpp"
#include "etl/exchange_rates.hpp"
#include "etl/generation.hpp"
#include "etl/input_reader.hpp"
#include "etl/load_report.hpp"
#include "etl/model_builder.hpp"
#include "etl/parallel_copy.hpp"
#include "etl/rejects_writer.hpp"
#include "etl/user_timelines.hpp"

namespace ge {
namespace {
using Clock = std::chrono::steady_clock;

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Times the phases of a run into the report.
class PhaseClock {
 public:
  PhaseClock(LoadReport& report, Progress& progress) : report_(report), progress_(progress) {}
  template <class Work>
  void run(const std::string& name, Work&& work) {
    progress_.phase(name + "…");
    const auto started = Clock::now();
    work();
    report_.phases.push_back({name, std::chrono::duration<double>(Clock::now() - started).count()});
  }

 private:
  LoadReport& report_;
  Progress& progress_;
};

// The files to read: as expanded by the command line, else the one events_path names.
std::vector<std::string> input_paths(const LoadOptions& options) {
  return options.events_inputs.empty() ? std::vector<std::string>{options.events_path} : options.events_inputs;
}

void read_events(const LoadOptions& options, const ExchangeRates& rates, EventStore& store, LoadReport& report,
                 Progress& progress) {
  ReadResult read;
  try {
    read = read_inputs(input_paths(options), rates, store, ReadSettings{options.read_threads, options.max_line_bytes},
                       progress);
  } catch (const std::runtime_error& e) {  // unreadable, truncated or corrupt input: exit 3
    throw InputError(e.what());
  }
  report.lines_total += read.totals.lines;
  report.blank += read.totals.blank;
  report.oversized_lines += read.totals.oversized;
  report.lines_with_duplicate_keys += read.totals.duplicate_keys;
  report.bytes_read += read.totals.bytes;
  report.inputs = std::move(read.files);
}

// Inputs readable and outputs writable, checked before the database is touched: a typo in a path
// must not cost a load's worth of work, nor leave a new generation live with its report unwritten.
void check_paths(const LoadOptions& options) {
  for (const std::string& events_path : input_paths(options)) {
    if (events_path == "-") continue;
    struct stat info {};
    if (::stat(events_path.c_str(), &info) != 0)
      throw InputError("cannot read events file " + events_path + ": " + std::strerror(errno));
    if (S_ISDIR(info.st_mode)) throw InputError("cannot read events file " + events_path + ": Is a directory");
    if (::access(events_path.c_str(), R_OK) != 0)
      throw InputError("cannot read events file " + events_path + ": " + std::strerror(errno));
  }
  auto require_writable = [](const std::string& path, const std::string& what) {
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) {
      if (S_ISDIR(info.st_mode)) throw InputError("cannot write " + what + " " + path + ": Is a directory");
      if (::access(path.c_str(), W_OK) != 0) throw InputError("cannot write " + what + " " + path + ": " + std::strerror(errno));
      return;
    }
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    const std::string dir = parent.empty() ? "." : parent.string();
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
      throw InputError("cannot write " + what + " " + path + ": " + std::strerror(errno));
  };
  if (options.report_path && *options.report_path != "-") require_writable(*options.report_path, "report");
  if (options.rejects_path) require_writable(*options.rejects_path, "rejects file");
}

void finish_report(LoadReport& report, EventStore& store, const ModelBuilder& builder, Clock::time_point started) {
  report.model = builder.counts();
  report.revenue_usd = Decimal{builder.counts().revenue.units, builder.money_scale()};
  report.accepted = builder.counts().accepted_by_type[0] + builder.counts().accepted_by_type[1] +
                    builder.counts().accepted_by_type[2] + builder.counts().accepted_by_type[3];
  report.tally_rejects(store.rejects());
  report.seconds_total = std::chrono::duration<double>(Clock::now() - started).count();
  report.peak_rss_bytes = peak_rss_bytes();
}

// Why a cleaned file must not go live (exit 4): its status= word and the message.
struct LimitFailure {
  std::string_view status;  // of the summary line
  std::string_view label;   // of evmeta.load_runs.error
  std::string message;
};

std::optional<LimitFailure> limit_failed(const LoadOptions& options, const LoadReport& report) {
  if (report.accepted == 0 && !options.allow_empty) {
    return LimitFailure{"no_events", "no events", "no event was accepted (" + std::to_string(report.lines_total) + " lines read, " +
                                         std::to_string(report.rejected) +
                                         " rejected); --allow-empty lets such a file make an empty dataset live"};
  }
  if (options.max_rejects && report.rejected > *options.max_rejects) {
    return LimitFailure{"reject_limit", "reject limit", std::to_string(report.rejected) + " lines rejected, more than --max-rejects " +
                                            std::to_string(*options.max_rejects)};
  }
  if (options.max_reject_ratio && report.reject_ratio() > *options.max_reject_ratio) {
    return LimitFailure{"reject_limit", "reject limit", "reject ratio " + std::to_string(report.reject_ratio()) +
                                            " exceeds --max-reject-ratio " + std::to_string(*options.max_reject_ratio)};
  }
  return std::nullopt;
}

// The report as JSON (file or stdout), the table for people, and one key=value line for cron
// mail and log scrapers, which --quiet keeps.
void emit_report(const LoadOptions& options, const LoadReport& report, std::string_view status) {
  const std::string json = to_json_text(to_json(report));
  const bool json_on_stdout = options.report_path && *options.report_path == "-";
  if (options.report_path && !json_on_stdout) {
    std::ofstream out(*options.report_path, std::ios::binary | std::ios::trunc);
    out << json << '\n';
    out.close();  // flushes; a full disk shows here, not in a destructor that cannot say so
    if (!out) throw InputError("cannot write report " + *options.report_path + ": " + std::strerror(errno));
  }
  std::ostream& human = json_on_stdout ? std::cerr : std::cout;
  if (!options.quiet) human << summary_table(report);
  human << summary_line(report, status) << std::endl;
  if (json_on_stdout) std::cout << json << std::endl;
}

void write_rejects_file(const LoadOptions& options, EventStore& store, LoadReport& report) {
  if (!options.rejects_path) return;
  try {
    const RejectsWritten written = write_rejects(input_paths(options), store.rejects(), *options.rejects_path);
    report.rejects_path = written.lines_path;
  } catch (const std::exception& e) {
    throw InputError(e.what());
  }
}

void print_error(const std::string& message) { std::cerr << "evload: error: " << message << std::endl; }

UnixSeconds now_unix() { return static_cast<UnixSeconds>(std::time(nullptr)); }

ExitCode run(const LoadOptions& options, bool load, LoadReport& report) {
  const auto started = Clock::now();
  report.mode = load ? "load" : "check";
  report.events_path = options.events_path;
  std::unique_ptr<Generation> generation;
  bool swapped = false;
  try {
    // The rates file first: a bad one stops the run before the database is touched.
    const ExchangeRates rates = ExchangeRates::load(options.rates_path);
    check_paths(options);
    Progress progress(options.quiet ? ProgressMode::never : options.progress, input_bytes_on_disk(input_paths(options)));
    PhaseClock phases(report, progress);

    if (load) {
      phases.run("prepare", [&] {
        generation = std::make_unique<Generation>(options.database);
        generation->lock(options.wait_lock);
        generation->migrate();
        generation->clean_up_interrupted_runs();
        report.run_id = generation->begin(
            RunInfo{options.events_path, input_bytes_on_disk(input_paths(options)), options.rates_path});
        report.generation_schema = generation->schema();
      });
    }

    EventStore store;
    phases.run("parse", [&] { read_events(options, rates, store, report, progress); });
    std::uint64_t ambiguous = 0;
    phases.run("order", [&] {
      store.release_user_index();
      ambiguous = deduplicate_and_order_by_user(store).ambiguous_same_key_duplicates;
    });
    report.ambiguous_same_key_duplicates = ambiguous;

    std::unique_ptr<ModelBuilder> builder;
    phases.run(load ? "build_and_copy" : "build", [&] {
      std::unique_ptr<ParallelCopy> copy;
      TableOutputs discard;
      if (load) copy = std::make_unique<ParallelCopy>(generation->conninfo(), generation->schema(), options.copy_block_bytes);
      builder = std::make_unique<ModelBuilder>(store, rates, copy ? copy->outputs() : discard);
      replay_user_timelines(store, *builder);
      builder->finish(report.run_id.value_or(0), now_unix());
      if (copy) copy->finish();
    });
    // The events are no longer needed; the rejects are.
    std::vector<CompactEvent>().swap(store.events());
    finish_report(report, store, *builder, started);
    // The SPEC's invariant, checked before anything can go live.
    if (!report.lines_accounted_for()) {
      const std::string message = "internal error: lines do not add up (accepted + rejected + blank != lines read)";
      if (generation) generation->fail(message, to_json_text(to_json(report)));
      print_error(message);
      return ExitCode::internal_error;
    }

    phases.run("rejects", [&] { write_rejects_file(options, store, report); });
    if (auto failure = limit_failed(options, report)) {
      finish_report(report, store, *builder, started);
      if (generation) generation->fail(std::string(failure->label) + ": " + failure->message, to_json_text(to_json(report)));
      emit_report(options, report, failure->status);
      print_error(failure->message + (load ? "; nothing was loaded, the live data is unchanged" : ""));
      return ExitCode::reject_limit;
    }

    if (load) {
      phases.run("index", [&] { generation->build_indexes(options.index_jobs); });
      finish_report(report, store, *builder, started);
      phases.run("swap", [&] { generation->swap(to_json_text(to_json(report))); });
      swapped = true;
      finish_report(report, store, *builder, started);
      try {  // bookkeeping after the swap: the new data is live whatever happens here
        generation->update_report(to_json_text(to_json(report)));
        generation->prune_runs(options.keep_runs);
      } catch (const db::Error& e) {
        std::cerr << "evload: warning: the load is live, but its final report was not stored: " << e.what() << '\n';
      }
    }
    emit_report(options, report, "ok");
    return ExitCode::ok;
  } catch (const RatesError& e) {
    print_error(e.what());
    return ExitCode::bad_input;
  } catch (const InputError& e) {
    if (swapped) {  // only the report file is left to write after the swap
      print_error(std::string(e.what()) + "\nthe load itself succeeded: the new data is live");
    } else if (generation) {
      generation->fail(e.what(), "{}");
      print_error(std::string(e.what()) + "\nnothing was loaded: the previous data (if any) is still live and unchanged");
    } else {
      print_error(e.what());
    }
    return ExitCode::bad_input;
  } catch (const LockBusy& e) {
    print_error(e.what());
    return ExitCode::lock_busy;
  } catch (const db::Error& e) {
    if (generation) generation->fail(e.what(), "{}");
    print_error(std::string(e.what()) + "\nthe previous data (if any) is still live and unchanged");
    return ExitCode::database;
  } catch (const std::exception& e) {
    if (generation) generation->fail(e.what(), "{}");
    print_error(std::string("internal error: ") + e.what());
    return ExitCode::internal_error;
  }
}
// A failed run prints a key=value line too (the successful and reject-limit runs print theirs with
// the counts): cron mail and log scrapers then find one line per run, whatever happened.
ExitCode run_and_summarise(const LoadOptions& options, bool load) {
  const auto started = Clock::now();
  LoadReport report;
  const ExitCode code = run(options, load, report);
  if (code != ExitCode::ok && code != ExitCode::reject_limit) {
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    std::cout << "evload status=" << exit_status_name(code) << " mode=" << report.mode;
    if (report.run_id) std::cout << " run_id=" << *report.run_id;
    std::cout << " exit=" << static_cast<int>(code) << " seconds=" << std::fixed << std::setprecision(3) << seconds
              << std::endl;
  }
  return code;
}
}  // namespace

std::string_view exit_status_name(ExitCode code) {
  switch (code) {
    case ExitCode::ok: return "ok";
    case ExitCode::internal_error: return "internal_error";
    case ExitCode::usage: return "usage";
    case ExitCode::bad_input: return "bad_input";
    case ExitCode::reject_limit: return "reject_limit";
    case ExitCode::database: return "database_error";
    case ExitCode::lock_busy: return "lock_busy";
  }
  return "unknown";
}

ExitCode run_load(const LoadOptions& options) { return run_and_summarise(options, true); }
ExitCode run_check(const LoadOptions& options) { return run_and_summarise(options, false); }

}  // namespace ge
