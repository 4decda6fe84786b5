#include "etl/load_command.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
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
#include "common/db/conninfo.hpp"
#include "common/json_text.hpp"
#include "etl/event_order.hpp"
#include "etl/event_parser.hpp"
#include "etl/event_store.hpp"
#include "etl/exchange_rates.hpp"
#include "etl/generation.hpp"
#include "etl/generations.hpp"
#include "etl/input_reader.hpp"
#include "etl/interrupt.hpp"
#include "etl/load_report.hpp"
#include "etl/model_builder.hpp"
#include "etl/generation_writer.hpp"
#include "etl/rejects_writer.hpp"
#include "etl/user_timelines.hpp"

namespace ge {
namespace {
using Clock = std::chrono::steady_clock;

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Times the phases of a run into the report and shows each on the progress display, with its
// elapsed time and, where it has one, a count. A signal is answered between phases at the latest.
class PhaseClock {
 public:
  PhaseClock(LoadReport& report, Progress& progress) : report_(report), progress_(progress) {}
  template <class Work>
  void run(const std::string& name, Work&& work, const std::function<std::string()>& detail = {}, bool ticking = true) {
    throw_if_interrupted();
    progress_.begin_phase(name, ticking);
    const auto started = Clock::now();
    work();
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    report_.phases.push_back({name, seconds});
    progress_.end_phase(name, seconds, detail ? detail() : std::string());
    throw_if_interrupted();
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
  } catch (const Interrupted&) {
    throw;
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

GateLimits gate_limits(const LoadOptions& options) {
  GateLimits limits;
  limits.max_rejects = options.max_rejects;
  limits.max_reject_ratio = options.max_reject_ratio;
  limits.max_shrink = options.max_shrink;
  limits.allow_empty = options.allow_empty;
  limits.force = options.force;
  return limits;
}

// The report as JSON (file or stdout), the table for people, and one key=value line for cron
// mail and log scrapers, which --quiet keeps.
void emit_report(const LoadOptions& options, const LoadReport& report, std::string_view status,
                 const std::string& gate_figures = {}) {
  const std::string json = report_json_text(report);
  const bool json_on_stdout = options.report_path && *options.report_path == "-";
  if (options.report_path && !json_on_stdout) {
    std::ofstream out(*options.report_path, std::ios::binary | std::ios::trunc);
    out << json << '\n';
    out.close();  // flushes; a full disk shows here, not in a destructor that cannot say so
    if (!out) throw InputError("cannot write report " + *options.report_path + ": " + std::strerror(errno));
  }
  std::ostream& human = json_on_stdout ? std::cerr : std::cout;
  if (!options.quiet) human << summary_table(report);
  human << summary_line(report, status) << (gate_figures.empty() ? "" : " ") << gate_figures << std::endl;
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

// Every message that may hold a libpq error or a connection string goes through the redactor of
// the run's --db (common/db/conninfo.hpp): no password reaches the terminal, cron mail or the
// journal, nor evmeta.load_runs.error.
void print_error(const db::SecretRedactor& redact, const std::string& message) {
  std::cerr << "evload: error: " << redact(message) << std::endl;
}

std::string plural(std::uint64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

UnixSeconds now_unix() { return static_cast<UnixSeconds>(std::time(nullptr)); }

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

ExitCode interrupted_exit(const Interrupted& e) {
  return e.signal_number() == SIGINT ? ExitCode::interrupted_sigint : ExitCode::interrupted_sigterm;
}

ExitCode run(const LoadOptions& options, bool load, LoadReport& report) {
  const auto started = Clock::now();
  const db::SecretRedactor redact(options.database);
  report.mode = load ? "load" : "check";
  report.events_path = options.events_path;
  std::unique_ptr<Generation> generation;
  std::unique_ptr<GenerationWriter> writer;
  bool swapped = false;
  // Bookkeeping of a run that stops: its row in evmeta.load_runs, redacted. The writer's
  // transactions roll back first: they hold the locks that dropping the generation needs.
  auto record_failure = [&](const std::string& error, const std::string& report_json, const char* status = "failed") {
    writer.reset();
    if (generation) generation->fail(redact(error), report_json, status);
  };
  try {
    // The rates file first: a bad one stops the run before the database is touched.
    const ExchangeRates rates = ExchangeRates::load(options.rates_path);
    check_paths(options);
    Progress progress(options.quiet ? ProgressMode::never : options.progress, input_bytes_on_disk(input_paths(options)));
    PhaseClock phases(report, progress);

    if (load) {
      phases.run("prepare", [&] {
        generation = std::make_unique<Generation>(options.database);
        generation->lock(options.wait_lock, [&](const std::string& holder) {
          if (!options.quiet) progress.note("evload: waiting for the load lock, held by " + holder + " (Ctrl-C to give up)");
        });
        generation->migrate();
        generation->clean_up_interrupted_runs();
        report.run_id = generation->begin(
            RunInfo{options.events_path, input_bytes_on_disk(input_paths(options)), options.rates_path});
        report.generation_schema = generation->schema();
      }, [&] { return "run " + std::to_string(report.run_id.value_or(0)); });
    }

    EventStore store;
    phases.run("parse", [&] {
      progress.start_reading();  // rate and ETA from here: the lock wait and prepare are not in them
      read_events(options, rates, store, report, progress);
    }, [&] { return plural(report.lines_total, "line"); }, /*ticking=*/false);
    std::uint64_t ambiguous = 0;
    phases.run("order", [&] {
      store.release_user_index();
      ambiguous = deduplicate_and_order_by_user(store).ambiguous_same_key_duplicates;
    }, [&] { return plural(store.events().size(), "event"); });
    report.ambiguous_same_key_duplicates = ambiguous;

    std::unique_ptr<ModelBuilder> builder;
    phases.run(load ? "build_and_copy" : "build", [&] {
      TableOutputs discard;
      if (load) {
        writer = std::make_unique<GenerationWriter>(generation->conninfo(), generation->schema(),
                                                    Generation::after_copy_statements(), options.copy_block_bytes,
                                                    store.events().size() < kOneConnectionMaxEvents
                                                        ? &generation->connection() : nullptr);
      }
      builder = std::make_unique<ModelBuilder>(store, rates, writer ? writer->outputs() : discard);
      replay_user_timelines(store, *builder);
      builder->finish(report.run_id.value_or(0), now_unix());
      if (writer) writer->end_rows();  // the indexes build from here on, beside the rejects and gates
    }, [&] { return plural(builder ? builder->counts().users : 0, "user"); });
    // The events are no longer needed; the rejects are.
    std::vector<CompactEvent>().swap(store.events());
    finish_report(report, store, *builder, started);
    // The SPEC's invariant, checked before anything can go live.
    if (!report.lines_accounted_for()) {
      const std::string message = "internal error: lines do not add up (accepted + rejected + blank != lines read)";
      record_failure(message, report_json_text(report));
      print_error(redact, message);
      return ExitCode::internal_error;
    }

    phases.run("rejects", [&] { write_rejects_file(options, store, report); },
               [&] { return plural(report.rejected, "reject"); });
    // The quality gates, before anything can go live (etl/quality_gates.hpp).
    std::optional<DatasetMeasures> live;
    phases.run("gates", [&] {
      live = load ? live_measures(generation->connection()) : live_measures_for_check(options);
    });
    if (auto failure = failed_gate(gate_limits(options), report, live)) {
      finish_report(report, store, *builder, started);
      record_failure(failure->label + ": " + failure->message, report_json_text(report));
      emit_report(options, report, failure->status, "gate=" + failure->gate + " " + failure->figures);
      print_error(redact, failure->message +
                              (load ? "; nothing was made live, the live data is unchanged" : ""));
      return ExitCode::reject_limit;
    }

    if (load) {
      int index_count = 0;
      phases.run("index", [&] {
        writer->wait();
        index_count = Generation::index_count();
      },
                 [&] { return std::to_string(index_count) + (index_count == 1 ? " index" : " indexes"); });
      finish_report(report, store, *builder, started);
      // The last point of no return: after the swap a signal no longer undoes the load.
      throw_if_interrupted();
      phases.run("swap", [&] {
        generation->swap(report_json_text(report));
        swapped = true;
      }, [&] { return "run " + std::to_string(report.run_id.value_or(0)) + " live"; });
      finish_report(report, store, *builder, started);
      try {  // bookkeeping after the swap: the new data is live whatever happens here
        generation->update_report(report_json_text(report));
        generation->prune_runs(options.keep_runs);
        generation->prune_generations(options.keep_generations);
      } catch (const db::Error& e) {
        std::cerr << "evload: warning: the load is live, but its bookkeeping (final report, pruning of old runs and "
                     "generations) did not finish: " << redact(e.what()) << '\n';
      }
    }
    emit_report(options, report, "ok");
    return ExitCode::ok;
  } catch (const Interrupted& e) {
    if (swapped) {  // the signal came during the swap's last step: the load went live
      emit_report(options, report, "ok");
      return ExitCode::ok;
    }
    record_failure(e.what(), report_json_text(report), "interrupted");
    print_error(redact, std::string(e.what()) + (load ? ": nothing was made live, the previous data (if any) is still live and unchanged" : ""));
    return interrupted_exit(e);
  } catch (const RatesError& e) {
    print_error(redact, e.what());
    return ExitCode::bad_input;
  } catch (const InputError& e) {
    if (swapped) {  // only the report file is left to write after the swap
      print_error(redact, std::string(e.what()) + "\nthe load itself succeeded: the new data is live");
    } else if (generation) {
      record_failure(e.what(), "{}");
      print_error(redact, std::string(e.what()) + "\nnothing was loaded: the previous data (if any) is still live and unchanged");
    } else {
      print_error(redact, e.what());
    }
    return ExitCode::bad_input;
  } catch (const LockBusy& e) {
    print_error(redact, e.what());
    return ExitCode::lock_busy;
  } catch (const db::Error& e) {
    record_failure(e.what(), "{}");
    print_error(redact, std::string(e.what()) + "\nthe previous data (if any) is still live and unchanged");
    return ExitCode::database;
  } catch (const std::exception& e) {
    record_failure(e.what(), "{}");
    print_error(redact, std::string("internal error: ") + e.what());
    return ExitCode::internal_error;
  }
}

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

void print_status_line(std::string_view mode, ExitCode code, const std::optional<std::int64_t>& run_id,
                       Clock::time_point started) {
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::cout << "evload status=" << exit_status_name(code) << " mode=" << mode;
  if (run_id) std::cout << " run_id=" << *run_id;
  std::cout << " exit=" << static_cast<int>(code) << " seconds=" << std::fixed << std::setprecision(3) << seconds
            << std::endl;
}

// A failed run prints a key=value line too (the successful and reject-limit runs print theirs with
// the counts): cron mail and log scrapers then find one line per run, whatever happened.
ExitCode run_and_summarise(const LoadOptions& options, bool load) {
  const auto started = Clock::now();
  LoadReport report;
  report.mode = load ? "load" : "check";
  ExitCode code;
  if ((load || options.check_against_db)) {
    if (auto why = bad_conninfo(options)) {
      std::cerr << "evload: error: " << *why << std::endl;
      code = ExitCode::usage;
    } else {
      code = run(options, load, report);
    }
  } else {
    code = run(options, load, report);
  }
  if (code != ExitCode::ok && code != ExitCode::reject_limit) print_status_line(report.mode, code, report.run_id, started);
  return code;
}

// `evload generations` and `evload rollback` share the connection, the redaction and the errors.
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
    } catch (const Interrupted& e) {
      print_error(redact, std::string(e.what()) + ": nothing was changed");
      code = interrupted_exit(e);
    } catch (const LockBusy& e) {
      print_error(redact, e.what());
      code = ExitCode::lock_busy;
    } catch (const db::Error& e) {
      print_error(redact, std::string(e.what()) + "\nthe live data is unchanged");
      code = ExitCode::database;
    } catch (const std::exception& e) {
      print_error(redact, e.what());
      code = ExitCode::bad_input;
    }
  }
  print_status_line(mode, code, std::nullopt, started);
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
    case ExitCode::interrupted_sigint:
    case ExitCode::interrupted_sigterm: return "interrupted";
  }
  return "unknown";
}

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
      if (!options.quiet) std::cerr << "evload: waiting for the load lock, held by " << holder << " (Ctrl-C to give up)\n";
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
