#include "hostile_load.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "rejects_check.hpp"

namespace ge::test {
namespace {
std::filesystem::path rates_path() { return fixtures_dir() / "tiny" / "exchange_rates.jsonl"; }

std::uint64_t count_of(const boost::json::object& object, const std::string& key) {
  return object.at(key).to_number<std::uint64_t>();
}

// The entries of a report's count object that are not zero.
std::map<std::string, std::uint64_t> nonzero(const boost::json::object& counts) {
  std::map<std::string, std::uint64_t> out;
  for (const auto& [key, value] : counts) {
    if (const auto n = value.to_number<std::uint64_t>(); n != 0) out.emplace(std::string(key), n);
  }
  return out;
}
}  // namespace

HostileLoad::HostileLoad(const std::string& label) : db_(label), scratch_(label) {
  const auto run = run_evload_measured(args(fixtures_dir() / "tiny" / "events.jsonl", "baseline"));
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  baseline_rss_ = run.peak_rss_bytes;
}

std::filesystem::path HostileLoad::write(const std::string& name, std::string_view content) const {
  auto path = dir() / name;
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
  return path;
}

std::vector<std::string> HostileLoad::args(const std::filesystem::path& events, const std::string& name) const {
  return {"load",
          "--events",
          events.string(),
          "--rates",
          rates_path().string(),
          "--db",
          db_.url(),
          "--rejects",
          (dir() / (name + ".rejects")).string(),
          "--report",
          (dir() / (name + ".report.json")).string(),
          "-q",
          "--max-reject-ratio",
          "1",
          "--max-shrink",
          "1"};  // hostile files are mostly rejects on purpose
}

boost::json::object HostileLoad::check(const std::filesystem::path& events, const Expectation& expect,
                                       std::uint64_t extra_rss_bytes, const std::vector<std::string>& extra_args) {
  const std::string name = "run" + std::to_string(++runs_);
  auto arguments = args(events, name);
  arguments.insert(arguments.end(), extra_args.begin(), extra_args.end());
  const std::string live_before = db_.scalar("SELECT run_id FROM ev_live.dataset");
  const MeasuredRun run = run_evload_measured(arguments);
  std::printf("%s: %s: exit %d, %.2f s, peak RSS %.1f MiB (baseline %.1f MiB, bound %.1f MiB)\n",
              Catch::getResultCapture().getCurrentTestName().c_str(), events.filename().c_str(), run.exit_code,
              run.seconds, static_cast<double>(run.peak_rss_bytes) / kMiB, static_cast<double>(baseline_rss_) / kMiB,
              static_cast<double>(baseline_rss_ + extra_rss_bytes) / kMiB);
  INFO(run.output);
  REQUIRE(run.signal == 0);
  REQUIRE(run.exit_code == expect.exit_code);
  if (!kSanitizedBuild) CHECK(run.peak_rss_bytes <= baseline_rss_ + extra_rss_bytes);

  auto report = read_json(dir() / (name + ".report.json")).as_object();
  const std::uint64_t accepted = count_of(report, "accepted");
  const std::uint64_t rejected = count_of(report, "rejected");
  const std::uint64_t blank = count_of(report, "blank");
  CHECK(accepted + rejected + blank == count_of(report, "lines_total"));  // every line accounted for
  CHECK(count_of(report, "lines_total") == expect.lines);
  CHECK(blank == expect.blank);
  CHECK(accepted == expect.accepted);
  CHECK(count_of(report, "oversized_lines") == expect.oversized);
  CHECK(nonzero(report.at("rejected_by_reason").as_object()) == expect.by_reason);
  CHECK(nonzero(report.at("rejected_by_field").as_object()) == expect.by_field);

  const auto rejects = dir() / (name + ".rejects");
  const auto reasons = dir() / (name + ".rejects.reasons.csv");
  // Every row names the file first (file,line_no,...): the expected rows are given without it.
  std::string expected_rows;
  for (std::size_t start = 0; start < expect.reasons_rows.size();) {
    const std::size_t end = expect.reasons_rows.find('\n', start);
    expected_rows += events.string() + "," + expect.reasons_rows.substr(start, end - start + 1);
    start = end == std::string::npos ? expect.reasons_rows.size() : end + 1;
  }
  CHECK(read_file(reasons) == "file,line_no,event_id,reason,detail\n" + expected_rows);
  const auto lines = reject_line_numbers(reasons);
  CHECK(lines.size() == rejected);
  CHECK(rejects_mismatch(events, lines, rejects).empty());

  if (expect.exit_code == 0) {  // the load is live, and it is what the report says
    CHECK(db_.scalar("SELECT run_id FROM ev_live.dataset") == std::to_string(report.at("run_id").as_int64()));
    CHECK(db_.scalar("SELECT count(*) FROM ev_live.users") == std::to_string(count_of(report, "users")));
  } else {  // nothing was made live
    CHECK(db_.scalar("SELECT run_id FROM ev_live.dataset") == live_before);
  }
  std::filesystem::remove(rejects);
  std::filesystem::remove(reasons);
  return report;
}

std::string user_uuid(int n) {
  char id[40];
  std::snprintf(id, sizeof id, "12345678-0000-4000-abcd-%012d", n);
  return id;
}

std::string registration_line(std::string_view id, int user, std::string_view name, std::string_view extra,
                              std::string_view timestamp) {
  std::string line = "{\"event_id\": ";
  line.append(id).append(extra);
  line += ", \"event_type\": \"registration\", \"event_timestamp\": ";
  line.append(timestamp);
  line += ", \"event_data\": {\"user_id\": \"" + user_uuid(user) + "\", \"country\": \"DE\", \"name\": \"";
  line.append(name);
  line += "\", \"device_os\": \"Web\", \"marketing_campaign\": null}}";
  return line;
}

std::string registration_line(std::uint64_t id, int user) { return registration_line(std::to_string(id), user); }

std::string transaction_line(std::uint64_t id, int user, std::string_view amount) {
  std::string line =
      "{\"event_id\": " + std::to_string(id) +
      ", \"event_type\": \"transaction\", \"event_timestamp\": 1273300100, \"event_data\": {\"user_id\": \"" +
      user_uuid(user) + "\", \"transaction_amount\": ";
  line.append(amount);
  line += ", \"transaction_currency\": \"EUR\"}}";
  return line;
}

}  // namespace ge::test
