#pragma once
// The JSON shape of every answer (snake_case, SPEC §4/§5 field names first).
#include <boost/json/value.hpp>

#include <vector>

#include "server/queries.hpp"

namespace ge::server {

boost::json::object to_json(const UserStats& stats);
boost::json::object to_json(const GameStats& stats);
boost::json::array to_json(const std::vector<CountryGameStats>& rows);  // each with "country"
boost::json::array to_json(const std::vector<DayGameStats>& rows);      // each with "date"
boost::json::object to_json(const DatasetInfo& info);
// The report is embedded as JSON when it parses, else as a string.
boost::json::object to_json(const LoadRun& run);

}  // namespace ge::server
