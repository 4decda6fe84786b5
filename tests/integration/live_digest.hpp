#pragma once
// What the live generation holds, as one value to compare: its run id and an md5 of every table
// of content (the tables a rerun of the same input reproduces exactly).
#include <string>
#include <vector>

namespace ge::test {

struct LiveDigest {
  std::string run_id;
  std::vector<std::string> tables;  // md5 of each table's rows, in kDigestTables order
  bool operator==(const LiveDigest&) const = default;
};

LiveDigest live_digest(const std::string& url);

}  // namespace ge::test
