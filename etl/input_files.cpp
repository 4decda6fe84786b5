#include "etl/input_files.hpp"

#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

namespace ge {
namespace {
bool is_directory(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

// Rotated dumps are named events-2010-05-08.jsonl, .jsonl.gz, .jsonl.zst: "*.jsonl*" takes them
// all and leaves the READMEs, checksums and partial downloads (.part) beside them alone.
std::vector<std::string> directory_entries(const std::string& directory) {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(".") || name.find(".jsonl") == std::string::npos) continue;
    std::error_code type_error;
    if (!entry.is_regular_file(type_error)) continue;  // symlinks to files count, subdirectories do not
    files.push_back(entry.path().string());
  }
  if (error) throw std::runtime_error("cannot list directory " + directory + ": " + error.message());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> glob_matches(const std::string& pattern) {
  glob_t found{};
  const int status = ::glob(pattern.c_str(), GLOB_ERR, nullptr, &found);
  std::vector<std::string> files;
  if (status == 0) {
    for (std::size_t i = 0; i < found.gl_pathc; ++i) {
      if (!is_directory(found.gl_pathv[i])) files.emplace_back(found.gl_pathv[i]);
    }
  }
  ::globfree(&found);
  if (status == GLOB_ABORTED) throw std::runtime_error("cannot read the directories of pattern " + pattern);
  std::sort(files.begin(), files.end());  // glob sorts by locale; the name's bytes are what rotation follows
  return files;
}
}  // namespace

bool is_glob_pattern(const std::string& argument) { return argument.find_first_of("*?[") != std::string::npos; }

std::vector<std::string> expand_inputs(const std::vector<std::string>& arguments) {
  std::vector<std::string> paths;
  for (const std::string& argument : arguments) {
    if (argument == "-") {
      if (std::count(arguments.begin(), arguments.end(), "-") > 1) {
        throw InputUsageError("--events names standard input ('-') more than once");
      }
      paths.push_back(argument);
    } else if (is_directory(argument)) {
      const auto files = directory_entries(argument);
      // Like a missing file, not like a mistyped pattern: the data that should be there is not.
      if (files.empty())
        throw std::runtime_error("cannot read events: directory " + argument + " holds no *.jsonl* file");
      paths.insert(paths.end(), files.begin(), files.end());
    } else if (is_glob_pattern(argument) && !std::filesystem::exists(argument)) {
      const auto files = glob_matches(argument);
      if (files.empty()) throw InputUsageError("--events pattern " + argument + " matches no file");
      paths.insert(paths.end(), files.begin(), files.end());
    } else {
      paths.push_back(argument);
    }
  }
  return paths;
}

std::string describe_inputs(const std::vector<std::string>& paths) {
  std::string joined;
  for (const std::string& path : paths) {
    if (!joined.empty()) joined += ", ";
    joined += path;
  }
  return joined;
}

}  // namespace ge
