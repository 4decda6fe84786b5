// The quality gates (etl/quality_gates.hpp): which gate a report fails against the live figures.
#include <catch2/catch.hpp>

#include "etl/quality_gates.hpp"

using Catch::Matchers::Contains;

namespace {
ge::LoadReport report_of(std::uint64_t accepted, std::uint64_t rejected, std::uint64_t users,
                         std::uint64_t last_day_dau) {
  ge::LoadReport r;
  r.accepted = accepted;
  r.rejected = rejected;
  r.lines_total = accepted + rejected;
  r.model.users = users;
  r.model.last_day_active_users = last_day_dau;
  r.model.last_event = 1273280400;
  return r;
}
ge::DatasetMeasures live_of(std::uint64_t accepted, std::uint64_t users, std::uint64_t dau) {
  return ge::DatasetMeasures{users, accepted, dau, "2010-05-08"};
}
}  // namespace

TEST_CASE("quality gates: the defaults pass a normal file and refuse a mostly bad one") {
  const ge::GateLimits limits;
  CHECK(limits.max_reject_ratio == 0.10);
  CHECK(limits.max_shrink == 0.5);
  CHECK_FALSE(ge::failed_gate(limits, report_of(9600, 400, 1000, 300), std::nullopt));
  const auto failure = ge::failed_gate(limits, report_of(100, 9900, 10, 3), std::nullopt);
  REQUIRE(failure);
  CHECK(failure->status == "reject_limit");
  CHECK(failure->gate == "reject_ratio");
  CHECK(failure->figures == "ratio=0.9900 limit=0.1000");
  CHECK_THAT(failure->message, Contains("99.0% of the lines were rejected") && Contains("--max-reject-ratio"));
}

TEST_CASE("quality gates: a shrink against the live data names the measure and the drop") {
  const ge::GateLimits limits;
  const auto live = live_of(100000, 2477, 2477);
  CHECK_FALSE(ge::failed_gate(limits, report_of(100000, 0, 2477, 2477), live));
  CHECK_FALSE(ge::failed_gate(limits, report_of(60000, 0, 2000, 1300), live));  // all within half
  auto failure = ge::failed_gate(limits, report_of(100000, 0, 1000, 2477), live);
  REQUIRE(failure);
  CHECK(failure->status == "shrink_limit");
  CHECK(failure->gate == "shrink:users");
  CHECK_THAT(failure->figures, Contains("live=2477 new=1000"));
  failure = ge::failed_gate(limits, report_of(40000, 0, 2477, 2477), live);
  REQUIRE(failure);
  CHECK(failure->gate == "shrink:accepted_events");
  failure = ge::failed_gate(limits, report_of(100000, 0, 2477, 130), live);
  REQUIRE(failure);
  CHECK(failure->gate == "shrink:last_day_active_users");
  CHECK_THAT(failure->message, Contains("94.8%") && Contains("2477 → 130"));
  // Growth is never a failure, nor a live figure of 0 (unknown or empty).
  CHECK_FALSE(ge::failed_gate(limits, report_of(200000, 0, 5000, 5000), live));
  CHECK_FALSE(ge::failed_gate(limits, report_of(10, 0, 1, 1), live_of(0, 0, 0)));
}

TEST_CASE("quality gates: overrides") {
  ge::GateLimits limits;
  limits.max_shrink = 1.0;
  CHECK_FALSE(ge::failed_gate(limits, report_of(1, 0, 1, 1), live_of(100000, 2477, 2477)));
  limits = {};
  limits.force = true;
  CHECK_FALSE(ge::failed_gate(limits, report_of(1, 99, 1, 1), live_of(100000, 2477, 2477)));
  // --force does not make an empty file live, nor lift an explicit --max-rejects.
  CHECK(ge::failed_gate(limits, report_of(0, 5, 0, 0), std::nullopt)->gate == "no_events");
  limits.max_rejects = 1;
  CHECK(ge::failed_gate(limits, report_of(10, 5, 1, 1), std::nullopt)->gate == "max_rejects");
  limits = {};
  limits.allow_empty = true;
  limits.max_reject_ratio = 1.0;
  CHECK_FALSE(ge::failed_gate(limits, report_of(0, 5, 0, 0), std::nullopt));
}
