#include "etl/path_checks.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <sys/stat.h>
#include <unistd.h>

#include "etl/input_error.hpp"

namespace ge {
namespace {

void require_readable(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    throw InputError("cannot read events file " + path + ": " + std::strerror(errno));
  if (S_ISDIR(info.st_mode)) throw InputError("cannot read events file " + path + ": Is a directory");
  if (::access(path.c_str(), R_OK) != 0)
    throw InputError("cannot read events file " + path + ": " + std::strerror(errno));
}

// An existing file must be writable; a new one needs a writable directory.
void require_writable(const std::string& path, const std::string& what) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) throw InputError("cannot write " + what + " " + path + ": Is a directory");
    if (::access(path.c_str(), W_OK) != 0)
      throw InputError("cannot write " + what + " " + path + ": " + std::strerror(errno));
    return;
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const std::string dir = parent.empty() ? "." : parent.string();
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw InputError("cannot write " + what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

void check_paths(const std::vector<std::string>& inputs, const std::optional<std::string>& report_path,
                 const std::optional<std::string>& rejects_path) {
  for (const std::string& path : inputs) {
    if (path != "-") require_readable(path);
  }
  if (report_path && *report_path != "-") require_writable(*report_path, "report");
  if (rejects_path) require_writable(*rejects_path, "rejects file");
}

}  // namespace ge
