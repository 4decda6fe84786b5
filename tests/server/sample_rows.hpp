#pragma once
// Rows the view tests (JSON and CSV) render alike, so that both formats are checked on the same
// cases: a cohort with observed and unobservable K, and an empty cohort.
#include <optional>
#include <vector>

#include "server/queries.hpp"

namespace ge::server::test {

inline std::vector<RetentionRow> sample_retention_rows() {
  RetentionRow row;
  row.date = "2010-05-08";
  row.new_users = 3;
  row.retained = {1, 0, std::nullopt, std::nullopt, std::nullopt};
  row.retention = {0.3333, 0.0, std::nullopt, std::nullopt, std::nullopt};
  RetentionRow empty;
  empty.date = "2010-05-09";
  empty.retained = {0, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  return {row, empty};
}

}  // namespace ge::server::test
