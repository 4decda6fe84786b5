#pragma once
// What the integration tests share: a private database per test on the throwaway cluster,
// running evload as a real process, and reading the fixtures.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "common/db/connection.hpp"

namespace ge::test {

// A fresh database on the test cluster (GE_TEST_PG_URL), dropped when the object dies. It has the
// product's roles (sql/roles.sql): url() connects as ev_loader, the role evload runs as in
// production, and reader_url() as the read-only ev_reader, the role of evserve and analysts.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& label);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  const std::string& url() const noexcept { return url_; }
  const std::string& reader_url() const noexcept { return reader_url_; }
  const std::string& superuser_url() const noexcept { return superuser_url_; }
  db::Connection connect() const { return db::Connection(url_); }
  db::Connection connect_reader() const { return db::Connection(reader_url_); }
  // The single value of a one-row, one-column query ("" for NULL).
  std::string scalar(const std::string& sql) const;

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
  std::string reader_url_;
  std::string superuser_url_;
};

struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal
  std::string output;  // stdout and stderr together
};

// Runs evload with args (and `env`, NAME=VALUE entries added to the environment) and waits for it.
ProcessResult run_evload(const std::vector<std::string>& args, const std::vector<std::string>& env = {});
// Starts evload without waiting; its output goes to output_path.
pid_t start_evload(const std::vector<std::string>& args, const std::string& output_path,
                   const std::vector<std::string>& env = {});
// Waits for it; its output is then also copied to $GE_TEST_OUTPUT_DIR (when set), where the
// secrets test greps every output of the suite for the test passwords.
int wait_for(pid_t pid);
// The exit status as a shell reports it: 128 + the signal for a process killed by one.
int wait_for_status(pid_t pid);

std::filesystem::path fixtures_dir();
std::vector<std::filesystem::path> fixture_dirs();
std::string read_file(const std::filesystem::path& path);
boost::json::value read_json(const std::filesystem::path& path);
std::vector<boost::json::value> read_json_lines(const std::filesystem::path& path);
// A fresh scratch directory under the system temp dir.
std::filesystem::path scratch_dir(const std::string& label);

// A valid events file of `users` users, each registering and playing a few sessions:
// large enough to catch a load in the middle of its COPY.
void write_synthetic_events(const std::filesystem::path& path, std::size_t users, std::uint64_t id_offset);

// Whether a COPY into conn's own database has written rows. pg_stat_progress_copy is cluster-wide
// and the tests share one cluster: a COPY of another test must not count as this test's load.
bool copy_under_way(db::Connection& conn);

}  // namespace ge::test
