#pragma once
// The files of sql/, embedded at build time, in file-name order.
#include <span>
#include <string_view>

namespace ge {

struct SqlFile {
  std::string_view name;  // e.g. "001_meta.sql"
  std::string_view body;
};

std::span<const SqlFile> sql_files() noexcept;
// The body of one file; throws std::out_of_range when there is none of that name.
std::string_view sql_file(std::string_view name);

}  // namespace ge
