#include "etl/load_command.hpp"

#include <chrono>
#include <iostream>
#include <memory>

#include "common/db/connection.hpp"
#include "common/db/conninfo.hpp"
#include "etl/cleaning.hpp"
#include "etl/exchange_rates.hpp"
#include "etl/generation.hpp"
#include "etl/generation_writer.hpp"
#include "etl/generations.hpp"
#include "etl/input_error.hpp"
#include "etl/input_reader.hpp"
#include "etl/interrupt.hpp"
#include "etl/load_cleaning.hpp"
#include "etl/load_lock.hpp"
#include "etl/load_report.hpp"
#include "etl/path_checks.hpp"
#include "etl/phase_clock.hpp"
#include "etl/rejects_writer.hpp"
#include "etl/report_output.hpp"

namespace ge {
namespace {
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point started) {
  return std::chrono::duration<double>(Clock::now() - started).count();
}

// The files to read: as expanded by the command line, else the one events_path names.
std::vector<std::string> input_paths(const LoadOptions& options) {
  return options.events_inputs.empty() ? std::vector<std::string>{options.events_path} : options.events_inputs;
}

GateLimits gate_limits(const LoadOptions& options) {
  GateLimits limits;
  limits.max_rejects = options.max_rejects;
  limits.max_reject_ratio = options.max_reject_ratio;
  limits.max_shrink = options.max_shrink;
  limits.allow_empty = options.allow_empty;
  limits.force = options.force;
  return limits;
}

// evload check --db: the live generation's measures for the shrink gate, read-only (the reader
// role will do). A database that cannot be read is an error of the check, not a pass.
std::optional<DatasetMeasures> live_measures_for_check(const LoadOptions& options) {
  if (!options.check_against_db) return std::nullopt;
  db::Connection conn(options.database);
  conn.exec("SET application_name = 'evload check'");
  auto migrated = conn.exec("SELECT 1 FROM pg_namespace WHERE nspname = 'evmeta'");
  if (migrated.rows() == 0) return std::nullopt;
  return live_measures(conn);
}

// One `evload load` or `evload check`, phase by phase (script()); every way it ends, success,
// refusal, error or signal, goes through finish().
class LoadRun {
 public:
  LoadRun(const LoadOptions& options, bool load, LoadReport& report)
      : options_(options), inputs_(input_paths(options)), load_(load), report_(report), redact_(options.database) {
    report_.mode = load ? "load" : "check";
    report_.events_path = options.events_path;
  }

  ExitCode run() {
    RunEnding ending;
    try {
      ending = script();
    } catch (...) {
      ending = ending_for(std::current_exception(), state());
    }
    try {
      return finish(ending);
    } catch (...) {  // the report could not be written
      return finish(ending_for(std::current_exception(), state()));
    }
  }

 private:
  RunEnding script() {
    // The rates file first: a bad one stops the run before the database is touched.
    const ExchangeRates rates = ExchangeRates::load(options_.rates_path);
    check_paths(inputs_, options_.report_path, options_.rejects_path);
    Progress progress(options_.quiet ? ProgressMode::never : options_.progress, input_bytes_on_disk(inputs_));
    PhaseClock phases(report_, progress);

    if (load_)
      phases.run(
          "prepare", [&] { prepare(progress); }, [&] { return "run " + std::to_string(report_.run_id.value_or(0)); });
    CleaningResult cleaned = clean(rates, phases, progress);
    // The SPEC's invariant, checked before anything can go live.
    if (!report_.lines_accounted_for()) return lines_unaccounted();

    phases.run(
        "rejects", [&] { write_rejects_file(cleaned.rejects); }, [&] { return plural(report_.rejected, "reject"); });
    // The quality gates, before anything can go live (etl/quality_gates.hpp).
    std::optional<DatasetMeasures> live;
    phases.run("gates",
               [&] { live = load_ ? live_measures(generation_->connection()) : live_measures_for_check(options_); });
    if (auto failure = failed_gate(gate_limits(options_), report_, live)) return refused(*failure);

    if (load_) make_live(phases);
    RunEnding success;
    success.report_status = "ok";
    return success;
  }

  // The load lock, the bookkeeping schema, and a new run with its empty generation.
  void prepare(Progress& progress) {
    generation_ = std::make_unique<Generation>(options_.database);
    generation_->lock(options_.wait_lock, [&](const std::string& holder) {
      if (!options_.quiet)
        progress.note("evload: waiting for the load lock, held by " + holder + " (Ctrl-C to give up)");
    });
    generation_->migrate();
    generation_->clean_up_interrupted_runs();
    report_.run_id =
        generation_->begin(RunInfo{options_.events_path, input_bytes_on_disk(inputs_), options_.rates_path});
    report_.generation_schema = generation_->schema();
  }

  // parse, order and build_and_copy (a check: build) as phases: etl/cleaning.hpp.
  CleaningResult clean(const ExchangeRates& rates, PhaseClock& phases, Progress& progress) {
    std::optional<CopyTarget> target;
    if (load_) target = CopyTarget{[this](std::uint64_t events) -> GenerationWriter& { return open_writer(events); }};
    LoadCleaningHost host(phases, report_, std::move(target));
    CleaningSettings settings;
    settings.read.threads = options_.read_threads;
    settings.read.max_line_bytes = options_.max_line_bytes;
    settings.progress = &progress;
    settings.run_id = report_.run_id.value_or(0);
    return run_cleaning(inputs_, rates, settings, host);
  }

  // The generation's writer (etl/generation_writer.hpp), opened when the order step starts and
  // kept past the build: each table's indexes build on its COPY connection beside the rejects and gates, and
  // the index phase waits for them. A small load writes on the load's own connection.
  GenerationWriter& open_writer(std::uint64_t events) {
    const WritePlan plan =
        options_.write_plan.value_or(events < kOneConnectionMaxEvents ? WritePlan::one_connection : WritePlan::lanes);
    writer_ = std::make_unique<GenerationWriter>(
        generation_->conninfo(), generation_->schema(), Generation::create_statements(),
        Generation::after_copy_statements(), options_.copy_block_bytes,
        plan == WritePlan::one_connection ? &generation_->connection() : nullptr);
    return *writer_;
  }

  void write_rejects_file(std::vector<RejectRecord>& rejects) {  // sorts them by line
    if (!options_.rejects_path) return;
    try {
      report_.rejects_path = write_rejects(inputs_, rejects, *options_.rejects_path).lines_path;
    } catch (const std::exception& e) {
      throw InputError(e.what());
    }
  }

  // index, then swap: the new generation goes live. Its bookkeeping afterwards cannot undo that.
  void make_live(PhaseClock& phases) {
    int index_count = 0;
    phases.run(
        "index",
        [&] {
          writer_->wait();
          index_count = Generation::index_count();
        },
        [&] { return std::to_string(index_count) + (index_count == 1 ? " index" : " indexes"); });
    // The last point of no return: after the swap a signal no longer undoes the load.
    throw_if_interrupted();
    phases.run(
        "swap",
        [&] {
          generation_->swap(report_json());
          swapped_ = true;
        },
        [&] { return "run " + std::to_string(report_.run_id.value_or(0)) + " live"; });
    const std::string final_report = report_json();
    report_final_ = true;  // the report file says what load_runs keeps
    try {
      generation_->update_report(final_report);
      generation_->prune_runs(options_.keep_runs);
      generation_->prune_generations(options_.keep_generations);
    } catch (const db::Error& e) {
      std::cerr << "evload: warning: the load is live, but its bookkeeping (final report, pruning of old runs and "
                   "generations) did not finish: "
                << redact_(e.what()) << '\n';
    }
  }

  RunEnding lines_unaccounted() const {
    RunEnding ending;
    ending.code = ExitCode::internal_error;
    ending.error = "internal error: lines do not add up (accepted + rejected + blank != lines read)";
    ending.recorded_error = ending.error;
    ending.recorded_with_report = true;
    return ending;
  }

  RunEnding refused(const GateFailure& failure) const {
    RunEnding ending;
    ending.code = ExitCode::reject_limit;
    ending.report_status = failure.status;
    ending.gate_figures = "gate=" + failure.gate + " " + failure.figures;
    ending.error = failure.message + (load_ ? "; nothing was made live, the live data is unchanged" : "");
    ending.recorded_error = failure.label + ": " + failure.message;
    ending.recorded_with_report = true;
    return ending;
  }

  // The report as of now: its total time and peak memory stamped whenever it is written out,
  // until the load is live and its final report recorded.
  std::string report_json() {
    if (!report_final_) {
      report_.seconds_total = seconds_since(started_);
      report_.peak_rss_bytes = peak_rss_bytes();
    }
    return report_json_text(report_);
  }

  RunState state() const { return RunState{load_, generation_ != nullptr, swapped_}; }

  // The one way out: the run's row in load_runs, the report and summary line, the error.
  ExitCode finish(const RunEnding& ending) {
    const std::string json = report_json();
    // The writer's transactions roll back first (unless they committed): they hold the locks that
    // dropping the generation needs.
    writer_.reset();
    if (ending.recorded_error && generation_) {
      generation_->fail(redact_(*ending.recorded_error), ending.recorded_with_report ? json : "{}",
                        ending.recorded_status);
    }
    if (ending.report_status)
      emit_report(report_, options_.report_path, options_.quiet, *ending.report_status, ending.gate_figures);
    if (ending.error) print_error(redact_, *ending.error);
    return ending.code;
  }

  const LoadOptions& options_;
  const std::vector<std::string> inputs_;
  const bool load_;
  LoadReport& report_;
  const db::SecretRedactor redact_;
  const Clock::time_point started_ = Clock::now();
  std::unique_ptr<Generation> generation_;
  std::unique_ptr<GenerationWriter> writer_;  // after generation_: a small load's writer uses its connection
  bool swapped_ = false;
  bool report_final_ = false;
};

// A connection string libpq cannot parse is a usage error (exit 2), found before any work, and
// said without the password it may hold.
std::optional<std::string> bad_conninfo(const LoadOptions& options) {
  if (auto why = db::conninfo_syntax_error(options.database)) {
    const std::string given = db::redact_conninfo(options.database);
    return "--db (or $DATABASE_URL) is not a valid connection string: " + *why +
           (why->find(given) == std::string::npos ? " (given: " + given + ")" : "");
  }
  return std::nullopt;
}

// A failed run prints a key=value line too (the successful and reject-limit runs print theirs with
// the counts): cron mail and log scrapers then find one line per run, whatever happened.
ExitCode run_and_summarise(const LoadOptions& options, bool load) {
  const auto started = Clock::now();
  LoadReport report;
  report.mode = load ? "load" : "check";
  ExitCode code;
  const bool uses_database = load || options.check_against_db;
  if (auto why = uses_database ? bad_conninfo(options) : std::nullopt) {
    std::cerr << "evload: error: " << *why << std::endl;
    code = ExitCode::usage;
  } else {
    code = LoadRun(options, load, report).run();
  }
  if (code != ExitCode::ok && code != ExitCode::reject_limit)
    print_status_line(report.mode, code, report.run_id, seconds_since(started));
  return code;
}

// `evload generations` and `evload rollback` share the connection, the redaction and the errors
// (their codes and messages: database_command_ending, exit_policy.hpp).
template <class Work>
ExitCode run_database_command(const LoadOptions& options, std::string_view mode, Work&& work) {
  const auto started = Clock::now();
  const db::SecretRedactor redact(options.database);
  ExitCode code = ExitCode::ok;
  if (auto why = bad_conninfo(options)) {
    std::cerr << "evload: error: " << *why << std::endl;
    code = ExitCode::usage;
  } else {
    try {
      db::Connection conn(options.database);
      conn.exec("SET client_min_messages = warning");
      conn.exec(std::string("SET application_name = 'evload ") + std::string(mode) + "'");
      code = work(conn);
    } catch (const std::exception&) {
      const RunEnding ending = database_command_ending(std::current_exception());
      print_error(redact, *ending.error);
      code = ending.code;
    }
  }
  print_status_line(mode, code, std::nullopt, seconds_since(started));
  return code;
}
}  // namespace

ExitCode run_load(const LoadOptions& options) { return run_and_summarise(options, true); }
ExitCode run_check(const LoadOptions& options) { return run_and_summarise(options, false); }

ExitCode run_generations(const LoadOptions& options) {
  return run_database_command(options, "generations", [&](db::Connection& conn) {
    if (conn.exec("SELECT 1 FROM pg_namespace WHERE nspname = 'evmeta'").rows() == 0) {
      std::cout << "no generation: nothing was ever loaded into this database\n";
      return ExitCode::ok;
    }
    const std::vector<GenerationInfo> generations = list_generations(conn);
    std::cout << generations_table(generations);
    return ExitCode::ok;
  });
}

ExitCode run_rollback(const LoadOptions& options, std::optional<std::int64_t> run_id) {
  return run_database_command(options, "rollback", [&](db::Connection& conn) {
    take_load_lock(conn, options.wait_lock, [&](const std::string& holder) {
      if (!options.quiet)
        std::cerr << "evload: waiting for the load lock, held by " << holder << " (Ctrl-C to give up)\n";
    });
    if (conn.exec("SELECT 1 FROM pg_namespace WHERE nspname = 'evmeta'").rows() == 0) {
      throw std::runtime_error("nothing was ever loaded into this database: there is no generation to roll back to");
    }
    // A database loaded by an older evload: its load_runs has no retired_at yet.
    Generation(options.database).migrate();
    const auto before = list_generations(conn);
    const std::int64_t live = roll_back(conn, run_id);
    std::cout << "evload: rolled back: run " << live << " is live again";
    if (!before.empty() && before.front().schema == kLiveSchema)
      std::cout << "; run " << before.front().run_id << " is kept behind it (`evload rollback` again undoes this)";
    std::cout << '\n';
    if (!options.quiet) std::cout << generations_table(list_generations(conn));
    return ExitCode::ok;
  });
}

}  // namespace ge
