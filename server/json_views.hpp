#pragma once
// The JSON shape of every answer (snake_case, SPEC §4/§5 field names first). The statistics
// answers, on every request of the hot routes, are written straight to text (json_text.hpp's
// number and string forms) with no Boost.JSON tree in between: building the tree cost more than
// the rest of the handler. The operational answers go through Boost.JSON.
#include <boost/json/value.hpp>

#include <string>
#include <vector>

#include "common/json_text.hpp"
#include "server/queries.hpp"

namespace ge::server {

using ge::to_json_text;  // the Boost.JSON form, beside the struct forms below (one overload set)
std::string to_json_text(const UserStats& stats);
std::string to_json_text(const GameStats& stats);
std::string to_json_text(const std::vector<CountryGameStats>& rows);  // each with "country"
std::string to_json_text(const std::vector<DayGameStats>& rows);      // each with "date"
std::string to_json_text(const std::vector<RetentionRow>& rows);      // SPEC §7.3, nulls included
boost::json::object to_json(const DatasetInfo& info);
// The report is embedded as JSON when it parses, else as a string.
boost::json::object to_json(const LoadRun& run);
// The same as text, the report embedded as PostgreSQL wrote it: its money keeps every digit
// (parsed into Boost.JSON, 9989999999999999990.01 would become a double, 9.99e18).
std::string to_json_text(const LoadRun& run);

}  // namespace ge::server
