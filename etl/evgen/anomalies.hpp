#pragma once
// Deliberate defects, injected into one user's clean history at a rate per line.
//
// For every clean line, with probability `rate`, one anomaly is drawn from a weighted list that
// covers every rejection reason of SPEC §2 plus valid oddities a loader must accept:
//   - line level: blank lines, CRLF endings, upper-case user ids, unusual amount spellings,
//     unknown extra fields, other key orders, compact separators, names of exactly 1,000 bytes,
//     null / missing names, \u-escaped names (all accepted);
//   - SPEC §2.1-2: malformed JSON, missing fields, wrong types, invalid values, unknown event
//     types (catalog.hpp). Half of them replace the clean line (so the user's later events may be
//     rejected in turn, as in real data), half are an extra corrupted copy;
//   - SPEC §2.4-5: exact duplicate lines, the same id with other content, events of unknown
//     users, events before the registration, double logins and logouts, purchases while logged
//     out, repeated registrations (extra lines).
// Extra lines are appended after the clean ones; ids are assigned afterwards (generator.cpp).
#include <cstdint>

#include "etl/evgen/behaviour.hpp"
#include "etl/evgen/population.hpp"
#include "etl/evgen/rng.hpp"

namespace ge::evgen {

void inject_anomalies(const Population& population, std::uint64_t user, double rate, Rng& rng, UserEvents& ue);

}  // namespace ge::evgen
