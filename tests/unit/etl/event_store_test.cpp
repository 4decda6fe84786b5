// The compact store between parsing and loading: events, registrations, rejects, and absorbing
// the second half of a file read by two threads.
#include <catch2/catch.hpp>

#include <string>

#include "unit_support.hpp"

namespace {
ge::ParsedEvent parsed(const std::string& line) {
  static const ge::ExchangeRates rates = ge_test::shipped_rates();
  static ge_test::PaddedParser parser(rates);
  const auto outcome = parser.parse(line);
  REQUIRE(outcome.accepted);
  return outcome.event;
}
}  // namespace

TEST_CASE("CompactEvent packs timestamp and type rank so they sort like SPEC §2.3") {
  ge::EventStore store;
  store.add(parsed(ge_test::transaction(40, ge_test::kDay0, ge_test::kUserA, "4.99", "EUR")), 1);
  store.add(parsed(ge_test::registration(1, ge_test::kDay0, ge_test::kUserA)), 2);
  store.add(parsed(ge_test::logout(3, ge_test::kDay0 - 1, ge_test::kUserB)), 3);
  const auto& events = store.events();
  REQUIRE(events.size() == 3);
  CHECK(events[0].timestamp() == ge_test::kDay0);
  CHECK(events[0].type() == ge::EventType::transaction);
  CHECK(events[0].amount_code() == 3);
  CHECK(events[0].currency() == 1);
  CHECK(events[0].line == 1);
  CHECK(events[0].event_id == 40);
  CHECK(events[1].type() == ge::EventType::registration);
  CHECK(events[1].time_and_rank < events[0].time_and_rank);  // same second, rank 0 < 2
  CHECK(events[2].time_and_rank < events[1].time_and_rank);  // earlier second, whatever the rank
  CHECK(events[0].user == events[1].user);
  CHECK(events[2].user != events[0].user);
  CHECK(ge::to_string(store.user_ids()[events[2].user]) == ge_test::kUserB);
  const auto& reg = store.registrations()[events[1].payload];
  CHECK(store.name_of(reg) == "Horst");
  CHECK(store.campaign_of(reg) == "ads");
  CHECK(std::string(reg.country, 2) == "DE");
}

TEST_CASE("absorb renumbers lines, users, registrations and campaigns of the later half") {
  ge::EventStore first;
  first.add(
      parsed(ge_test::registration(1, 100, ge_test::kUserA,
                                   R"("country": "DE", "name": "Ann", "device_os": "iOS", "marketing_campaign": "x")")),
      1);
  first.reject(2, ge::Reason::malformed_json, ge::Field::none, std::nullopt);

  ge::EventStore second;
  second.add(
      parsed(ge_test::registration(2, 200, ge_test::kUserB,
                                   R"("country": "US", "name": "Bob", "device_os": "Web", "marketing_campaign": "y")")),
      1);
  second.add(parsed(ge_test::registration(3, 300, ge_test::kUserC,
                                          R"("country": "ES", "device_os": "Web", "marketing_campaign": "x")")),
             2);
  second.add(parsed(ge_test::login(4, 400, ge_test::kUserA)), 3);
  second.reject(4, ge::Reason::duplicate_event_id, ge::Field::event_id, 9);

  first.absorb(std::move(second), 2);
  const auto& events = first.events();
  REQUIRE(events.size() == 4);
  CHECK(events[1].line == 3);
  CHECK(events[2].line == 4);
  CHECK(events[3].line == 5);
  CHECK(events[3].user == events[0].user);  // user A in both halves is one user
  CHECK(ge::to_string(first.user_ids()[events[1].user]) == ge_test::kUserB);
  CHECK(first.user_ids().size() == 3);
  const auto& bob = first.registrations()[events[1].payload];
  CHECK(first.name_of(bob) == "Bob");
  CHECK(first.campaign_of(bob) == "y");
  const auto& carl = first.registrations()[events[2].payload];
  CHECK_FALSE(carl.has_name);
  CHECK(first.campaign_of(carl) == "x");
  CHECK(carl.campaign == first.registrations()[events[0].payload].campaign);  // one campaign "x"
  CHECK(first.name_of(first.registrations()[events[0].payload]) == "Ann");
  REQUIRE(first.rejects().size() == 2);
  CHECK(first.rejects()[1].line == 6);
  CHECK(first.rejects()[1].event_id == 9);
  CHECK(first.rejects()[1].has_event_id);
  CHECK_FALSE(first.rejects()[0].has_event_id);
  CHECK(first.memory_bytes() > 0);
}

TEST_CASE("RegistrationRecord::same_content compares every stored field") {
  ge::EventStore store;
  const std::string fields = R"("country": "DE", "name": "Ann", "device_os": "iOS", "marketing_campaign": "x")";
  store.add(parsed(ge_test::registration(1, 100, ge_test::kUserA, fields)), 1);
  store.add(parsed(ge_test::registration(1, 100, ge_test::kUserA, fields)), 2);
  store.add(parsed(ge_test::registration(
                1, 100, ge_test::kUserA,
                R"("country": "DE", "name": "Anna", "device_os": "iOS", "marketing_campaign": "x")")),
            3);
  store.add(parsed(ge_test::registration(1, 100, ge_test::kUserA,
                                         R"("country": "DE", "device_os": "iOS", "marketing_campaign": "x")")),
            4);
  store.add(
      parsed(ge_test::registration(1, 100, ge_test::kUserA,
                                   R"("country": "DE", "name": "", "device_os": "iOS", "marketing_campaign": "x")")),
      5);
  const auto& regs = store.registrations();
  CHECK(regs[0].same_content(regs[1], store.names()));
  CHECK_FALSE(regs[0].same_content(regs[2], store.names()));
  CHECK_FALSE(regs[3].same_content(regs[4], store.names()));  // no name vs an empty name
}
