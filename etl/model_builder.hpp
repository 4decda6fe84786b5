#pragma once
// SPEC §3: turns each user's accepted events (in SPEC order) into the model — users, sessions,
// transactions — and the serving tables that answer §4, §5 and §7, streaming COPY rows as it goes.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/utc_day.hpp"
#include "etl/event_store.hpp"
#include "etl/exchange_rates.hpp"
#include "etl/table_output.hpp"

namespace ge {

// Money at one fixed scale for the whole load (2 + the largest rate scale), so sums are exact integers.
struct ScaledMoney {
  Int128 units = 0;
};

struct ModelCounts {
  std::array<std::uint64_t, kEventTypeCount> accepted_by_type{};
  std::uint64_t users = 0;
  std::uint64_t paid_users = 0;
  std::map<std::string, std::uint64_t> users_by_country;
  std::uint64_t logins = 0;
  std::uint64_t sessions_all = 0;
  std::uint64_t sessions_closed = 0;
  std::uint64_t sessions_counted = 0;
  std::int64_t time_spent_seconds = 0;
  std::uint64_t transactions = 0;
  ScaledMoney revenue;
  std::optional<UnixSeconds> first_event;
  std::optional<UnixSeconds> last_event;
  std::uint64_t user_daily_rows = 0;
  std::uint64_t last_day_active_users = 0;  // users with a login on the last data day (quality gate)
};

class ModelBuilder {
 public:
  ModelBuilder(const EventStore& store, const ExchangeRates& rates, TableOutputs& outputs);

  // One accepted event of the current user; events arrive grouped by user, in SPEC order.
  void accept(const CompactEvent& event);
  // The current user's events are done.
  void end_user();
  // Writes the game-level tables and the dataset row; call once, after the last user.
  void finish(std::int64_t run_id, UnixSeconds loaded_at);

  const ModelCounts& counts() const noexcept { return counts_; }
  int money_scale() const noexcept { return money_scale_; }

 private:
  struct DayFigures {
    DayNumber day = 0;
    std::int32_t logins = 0;
    std::int32_t sessions_counted = 0;
    std::int64_t time_spent_seconds = 0;
    std::int32_t transactions = 0;
    ScaledMoney revenue;
  };
  struct GameFigures {
    std::int64_t users = 0, paid_users = 0, active_users = 0, paid_active_users = 0, logins = 0, sessions_counted = 0,
                 users_with_sessions = 0, time_spent_seconds = 0, users_with_time = 0, transactions = 0, new_users = 0,
                 payers = 0;
    ScaledMoney revenue;
  };
  // SPEC §7.3: a registration day's cohort and, per K of kRetentionDays, its users with a login on day R + K.
  static constexpr std::array<DayNumber, 5> kRetentionDays{1, 3, 7, 14, 30};
  struct CohortFigures {
    std::int64_t new_users = 0;
    std::array<std::int64_t, kRetentionDays.size()> retained{};
  };
  struct OpenSession {
    std::uint64_t login_event_id;
    UnixSeconds login_at;
  };

  DayFigures& day_figures(DayNumber day);
  void open_session(const CompactEvent& event);
  void write_session(const OpenSession& session, const CompactEvent* logout);
  // A game_daily row (with its day) or a game_totals row (without).
  void write_game_row(Table table, const GameFigures& g, std::optional<DayNumber> day, std::string_view country);
  bool logged_in_on(DayNumber day) const;  // among days_, sorted

  const EventStore& store_;
  const ExchangeRates& rates_;
  TableOutputs& out_;
  int money_scale_ = 2;
  // amount_usd of every (amount, currency) pair.
  std::vector<std::array<ScaledMoney, 5>> amount_usd_;

  // The user being built.
  std::uint32_t user_ = 0;
  const RegistrationRecord* registration_ = nullptr;
  UnixSeconds registered_at_ = 0;
  std::uint64_t registration_event_id_ = 0;
  std::optional<OpenSession> open_session_;
  std::vector<DayFigures> days_;
  DayNumber last_login_day_ = 0;

  std::map<std::pair<DayNumber, std::uint16_t>, GameFigures> game_daily_;
  std::map<std::uint16_t, GameFigures> game_totals_;
  std::map<std::pair<DayNumber, std::uint16_t>, CohortFigures> game_cohorts_;
  ModelCounts counts_;
};

}  // namespace ge
