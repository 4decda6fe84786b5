#include "support.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include <boost/json/parse.hpp>

#include "common/sql_files.hpp"
#include "common/uuid.hpp"

namespace ge::test {
namespace {
std::string admin_url() {
  const char* url = std::getenv("GE_TEST_PG_URL");
  if (!url) throw std::runtime_error("GE_TEST_PG_URL is not set: run the integration tests through ctest");
  return url;
}
std::atomic<int> database_counter{0};

// The same URI with another user: postgresql://postgres@host… → postgresql://ROLE@host….
std::string as_role(const std::string& url, const std::string& role) {
  const std::string scheme = "://";
  const auto user_begin = url.find(scheme);
  const auto at = url.find('@');
  if (user_begin == std::string::npos || at == std::string::npos || at < user_begin)
    throw std::runtime_error("GE_TEST_PG_URL must name its user (postgresql://USER@HOST:PORT/DB): " + url);
  return url.substr(0, user_begin + scheme.size()) + role + url.substr(at);
}
}  // namespace

TestDatabase::TestDatabase(const std::string& label) : admin_url_(admin_url()) {
  name_ = "t_" + label + "_" + std::to_string(::getpid()) + "_" + std::to_string(database_counter++);
  db::Connection admin(admin_url_);
  admin.exec("DROP DATABASE IF EXISTS " + db::quote_identifier(name_));
  admin.exec("CREATE DATABASE " + db::quote_identifier(name_));
  const auto slash = admin_url_.rfind('/');
  superuser_url_ = admin_url_.substr(0, slash + 1) + name_;
  db::Connection superuser(superuser_url_);
  superuser.exec("SET client_min_messages = warning");
  superuser.exec(std::string(sql_file("roles.sql")));
  url_ = as_role(superuser_url_, "ev_loader");
  reader_url_ = as_role(superuser_url_, "ev_reader");
}

TestDatabase::~TestDatabase() {
  try {
    db::Connection admin(admin_url_);
    admin.exec("DROP DATABASE IF EXISTS " + db::quote_identifier(name_) + " WITH (FORCE)");
  } catch (...) {
    // The cluster is destroyed after the run anyway.
  }
}

std::string TestDatabase::scalar(const std::string& sql) const {
  db::Connection conn(url_);
  auto result = conn.exec(sql);
  if (result.rows() != 1 || result.columns() != 1) throw std::runtime_error("not a scalar query: " + sql);
  return std::string(result.value(0, 0));
}

namespace {
// pid → output file of every evload started and not yet waited for.
std::mutex outputs_mutex;
std::map<pid_t, std::string> outputs_of;

void capture_output(pid_t pid) {
  std::string path;
  {
    std::lock_guard lock(outputs_mutex);
    auto it = outputs_of.find(pid);
    if (it == outputs_of.end()) return;
    path = it->second;
    outputs_of.erase(it);
  }
  const char* dir = std::getenv("GE_TEST_OUTPUT_DIR");
  if (!dir || !*dir) return;
  std::error_code ignored;
  std::filesystem::create_directories(std::filesystem::path(dir) / "evload", ignored);
  static std::atomic<int> counter{0};
  const auto target = std::filesystem::path(dir) / "evload" /
                      ("integration-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".txt");
  std::filesystem::copy_file(path, target, std::filesystem::copy_options::overwrite_existing, ignored);
}
}  // namespace

pid_t start_evload(const std::vector<std::string>& args, const std::string& output_path,
                   const std::vector<std::string>& env) {
  std::vector<std::string> argv_storage{GE_EVLOAD_PATH};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int fd = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
    }
    for (const std::string& entry : env) ::putenv(const_cast<char*>(entry.c_str()));
    std::vector<char*> argv;
    argv.reserve(argv_storage.size() + 1);
    for (auto& arg : argv_storage) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    std::_Exit(127);
  }
  std::lock_guard lock(outputs_mutex);
  outputs_of[pid] = output_path;
  return pid;
}

int wait_for_status(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {}
  capture_output(pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {}
  capture_output(pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

ProcessResult run_evload(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  const auto output = scratch_dir("evload-output") / "output.txt";
  ProcessResult result;
  result.exit_code = wait_for(start_evload(args, output.string(), env));
  result.output = read_file(output);
  return result;
}

std::filesystem::path fixtures_dir() { return GE_FIXTURES_DIR; }

std::vector<std::filesystem::path> fixture_dirs() {
  std::vector<std::filesystem::path> dirs;
  for (const auto& entry : std::filesystem::directory_iterator(fixtures_dir())) {
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "events.jsonl")) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  if (dirs.empty()) throw std::runtime_error("no fixtures under " + fixtures_dir().string());
  return dirs;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

boost::json::value read_json(const std::filesystem::path& path) { return boost::json::parse(read_file(path)); }

std::vector<boost::json::value> read_json_lines(const std::filesystem::path& path) {
  std::vector<boost::json::value> values;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) values.push_back(boost::json::parse(line));
  }
  return values;
}

namespace {
// Every scratch directory of this process, removed when it exits (GE_KEEP_SCRATCH=1 keeps them
// for a post-mortem): big synthetic files would otherwise pile up in /tmp run after run.
class ScratchDirs {
 public:
  void add(const std::filesystem::path& dir) {
    std::lock_guard lock(mutex_);
    dirs_.push_back(dir);
  }
  ~ScratchDirs() {
    if (const char* keep = std::getenv("GE_KEEP_SCRATCH"); keep && *keep == '1') return;
    std::error_code ignored;
    for (const auto& dir : dirs_) std::filesystem::remove_all(dir, ignored);
  }

 private:
  std::mutex mutex_;
  std::vector<std::filesystem::path> dirs_;
};
ScratchDirs scratch_dirs;
}  // namespace

std::filesystem::path scratch_dir(const std::string& label) {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("ge-" + label + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  scratch_dirs.add(dir);
  return dir;
}

void write_synthetic_events(const std::filesystem::path& path, std::size_t users, std::uint64_t id_offset) {
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) throw std::runtime_error("cannot write " + path.string());
  std::uint64_t id = id_offset;
  const char* countries[] = {"DE", "US", "ES", "IT", "FR"};
  for (std::size_t u = 0; u < users; ++u) {
    const std::string user = to_string(Uuid{0x1234567800000000ULL + u, 0xabcdef0012345678ULL});
    long long ts = 1273300000 + static_cast<long long>(u % 86400) * 7;
    std::fprintf(out,
                 "{\"event_id\": %llu, \"event_type\": \"registration\", \"event_timestamp\": %lld, \"event_data\": "
                 "{\"user_id\": \"%s\", \"country\": \"%s\", \"name\": \"User %zu\", \"device_os\": \"Web\", "
                 "\"marketing_campaign\": %s}}\n",
                 static_cast<unsigned long long>(id++), ts, user.c_str(), countries[u % 5], u,
                 u % 3 == 0 ? "null" : "\"ads\"");
    for (int session = 0; session < 3; ++session) {
      if (session > 0) {
        std::fprintf(out,
                     "{\"event_id\": %llu, \"event_type\": \"login\", \"event_timestamp\": %lld, \"event_data\": "
                     "{\"user_id\": \"%s\"}}\n",
                     static_cast<unsigned long long>(id++), ts, user.c_str());
      }
      std::fprintf(out,
                   "{\"event_id\": %llu, \"event_type\": \"transaction\", \"event_timestamp\": %lld, \"event_data\": "
                   "{\"user_id\": \"%s\", \"transaction_amount\": 4.99, \"transaction_currency\": \"EUR\"}}\n",
                   static_cast<unsigned long long>(id++), ts + 10, user.c_str());
      std::fprintf(out,
                   "{\"event_id\": %llu, \"event_type\": \"logout\", \"event_timestamp\": %lld, \"event_data\": "
                   "{\"user_id\": \"%s\"}}\n",
                   static_cast<unsigned long long>(id++), ts + 600, user.c_str());
      ts += 3600;
    }
  }
  if (std::fclose(out) != 0) throw std::runtime_error("cannot write " + path.string());
}

bool copy_under_way(db::Connection& conn) {
  return conn.exec(
                 "SELECT count(*) FROM pg_stat_progress_copy "
                 "WHERE datname = current_database() AND tuples_processed > 0")
             .value(0, 0) != "0";
}

}  // namespace ge::test
