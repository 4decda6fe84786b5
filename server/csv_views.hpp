#pragma once
// The format=csv form of the tabular answers: a header row with the JSON answer's keys in the
// same order, then one record per row (csv_text.hpp). A single game statistics answer is one
// record. Nulls (unobservable retention) are empty fields.
#include <string>
#include <vector>

#include "server/queries.hpp"

namespace ge::server {

std::string to_csv_text(const GameStats& stats);
std::string to_csv_text(const std::vector<CountryGameStats>& rows);
std::string to_csv_text(const std::vector<DayGameStats>& rows);
std::string to_csv_text(const std::vector<RetentionRow>& rows);

}  // namespace ge::server
