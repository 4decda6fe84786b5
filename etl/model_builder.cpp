#include "etl/model_builder.hpp"

#include <algorithm>

#include "etl/copy_binary_row.hpp"

namespace ge {
namespace {
std::uint16_t country_key(const char country[2]) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(country[0]) << 8) |
                                    static_cast<unsigned char>(country[1]));
}
std::string country_text(std::uint16_t key) {
  return std::string{static_cast<char>(key >> 8), static_cast<char>(key & 0xFF)};
}
// One COPY row of `table`, with as many fields as the schema gives it columns (kTableColumns).
template <class Fill>
void write_row(TableOutputs& outputs, Table table, Fill&& fill) {
  TableOutput& out = outputs[static_cast<std::size_t>(table)];
  BinaryRow row(out.buffer(), column_count(table));
  fill(row);
  out.row_done();
}
}  // namespace

ModelBuilder::ModelBuilder(const EventStore& store, const ExchangeRates& rates, TableOutputs& outputs)
    : store_(store), rates_(rates), out_(outputs) {
  for (std::size_t c = 0; c < rates.size(); ++c)
    money_scale_ = std::max(money_scale_, 2 + rates.at(static_cast<std::uint8_t>(c)).rate_to_usd.scale);
  for (std::size_t c = 0; c < rates.size(); ++c) {
    const Decimal& rate = rates.at(static_cast<std::uint8_t>(c)).rate_to_usd;
    std::array<ScaledMoney, 5> values{};
    for (std::uint8_t a = 0; a < 5; ++a) {
      const Decimal usd = (amount_decimal(a) * rate).rescaled(money_scale_);
      values[a] = ScaledMoney{usd.mantissa};
    }
    amount_usd_.push_back(values);
  }
}

ModelBuilder::DayFigures& ModelBuilder::day_figures(DayNumber day) {
  // A user's events touch few days, mostly in increasing order: look from the back.
  for (auto it = days_.rbegin(); it != days_.rend(); ++it) {
    if (it->day == day) return *it;
  }
  days_.push_back(DayFigures{day, 0, 0, 0, 0, {}});
  return days_.back();
}

void ModelBuilder::open_session(const CompactEvent& event) {
  const DayNumber day = day_of(event.timestamp());
  ++day_figures(day).logins;
  ++counts_.logins;
  last_login_day_ = day;
  open_session_ = OpenSession{event.event_id, event.timestamp()};
}

void ModelBuilder::write_session(const OpenSession& session, const CompactEvent* logout) {
  ++counts_.sessions_all;
  const Uuid& user_id = store_.user_ids()[user_];
  if (!logout) {
    write_row(out_, Table::sessions, [&](BinaryRow& row) {
      row.int8(static_cast<std::int64_t>(session.login_event_id)).uuid(user_id).timestamp(session.login_at);
      row.null().null().null().boolean(false);
    });
    return;
  }
  ++counts_.sessions_closed;
  const std::int64_t length = logout->timestamp() - session.login_at;
  const bool counted = length >= 1;
  if (counted) {
    ++counts_.sessions_counted;
    counts_.time_spent_seconds += length;
    ++day_figures(day_of(session.login_at)).sessions_counted;
    split_by_day(session.login_at, logout->timestamp(),
                 [&](DayNumber day, std::int64_t seconds) { day_figures(day).time_spent_seconds += seconds; });
  }
  write_row(out_, Table::sessions, [&](BinaryRow& row) {
    row.int8(static_cast<std::int64_t>(session.login_event_id)).uuid(user_id).timestamp(session.login_at);
    row.int8(static_cast<std::int64_t>(logout->event_id)).timestamp(logout->timestamp()).int8(length);
    row.boolean(counted);
  });
}

void ModelBuilder::accept(const CompactEvent& event) {
  const EventType type = event.type();
  ++counts_.accepted_by_type[static_cast<std::size_t>(type)];
  const UnixSeconds ts = event.timestamp();
  if (!counts_.first_event || ts < *counts_.first_event) counts_.first_event = ts;
  if (!counts_.last_event || ts > *counts_.last_event) counts_.last_event = ts;
  user_ = event.user;

  switch (type) {
    case EventType::registration:
      registration_ = &store_.registrations()[event.payload];
      registered_at_ = ts;
      registration_event_id_ = event.event_id;
      open_session(event);
      break;
    case EventType::login: open_session(event); break;
    case EventType::logout:
      write_session(*open_session_, &event);
      open_session_.reset();
      break;
    case EventType::transaction: {
      const ScaledMoney usd = amount_usd_[event.currency()][event.amount_code()];
      DayFigures& day = day_figures(day_of(ts));
      ++day.transactions;
      day.revenue.units += usd.units;
      ++counts_.transactions;
      counts_.revenue.units += usd.units;
      write_row(out_, Table::transactions, [&](BinaryRow& row) {
        row.int8(static_cast<std::int64_t>(event.event_id)).uuid(store_.user_ids()[event.user]).timestamp(ts);
        row.numeric(kAllowedAmountCents[event.amount_code()], 2).text(rates_.at(event.currency()).code);
        row.numeric(usd.units, money_scale_);
      });
      break;
    }
  }
}

void ModelBuilder::end_user() {
  if (!registration_) {  // every event of this user was rejected
    days_.clear();
    return;
  }
  if (open_session_) {
    write_session(*open_session_, nullptr);
    open_session_.reset();
  }
  std::sort(days_.begin(), days_.end(), [](const DayFigures& a, const DayFigures& b) { return a.day < b.day; });

  const RegistrationRecord& reg = *registration_;
  const std::uint16_t country = country_key(reg.country);
  const bool paid = reg.campaign != 0;
  const Uuid& user_id = store_.user_ids()[user_];
  GameFigures& total = game_totals_[country];
  DayFigures all_time{};
  std::optional<DayNumber> last_login;  // carried forward over the sorted days
  for (const DayFigures& day : days_) {
    if (day.logins > 0) last_login = day.day;
    write_row(out_, Table::user_daily, [&](BinaryRow& row) {
      row.uuid(user_id).day(day.day).int4(day.logins).int4(day.sessions_counted).int8(day.time_spent_seconds);
      row.int4(day.transactions).numeric(day.revenue.units, money_scale_);
      if (last_login)
        row.day(*last_login);
      else
        row.null();
    });
    ++counts_.user_daily_rows;
    GameFigures& game = game_daily_[{day.day, country}];
    const bool active = day.logins > 0;
    game.active_users += active;
    game.paid_active_users += active && paid;
    game.logins += day.logins;
    game.sessions_counted += day.sessions_counted;
    game.users_with_sessions += day.sessions_counted > 0;
    game.time_spent_seconds += day.time_spent_seconds;
    game.users_with_time += day.time_spent_seconds > 0;
    game.transactions += day.transactions;
    game.revenue.units += day.revenue.units;
    game.payers += day.transactions > 0;

    all_time.logins += day.logins;
    all_time.sessions_counted += day.sessions_counted;
    all_time.time_spent_seconds += day.time_spent_seconds;
    all_time.transactions += day.transactions;
    all_time.revenue.units += day.revenue.units;
  }
  // SPEC §7.1 new users and §7.3 cohorts: by the day of the accepted registration (a login, so
  // its game_daily row exists already).
  const DayNumber registered = day_of(registered_at_);
  ++game_daily_[{registered, country}].new_users;
  CohortFigures& cohort = game_cohorts_[{registered, country}];
  ++cohort.new_users;
  for (std::size_t k = 0; k < kRetentionDays.size(); ++k)
    cohort.retained[k] += logged_in_on(registered + kRetentionDays[k]);

  total.users += 1;
  total.payers += all_time.transactions > 0;
  total.paid_users += paid;
  total.active_users += all_time.logins > 0;
  total.logins += all_time.logins;
  total.sessions_counted += all_time.sessions_counted;
  total.users_with_sessions += all_time.sessions_counted > 0;
  total.time_spent_seconds += all_time.time_spent_seconds;
  total.users_with_time += all_time.time_spent_seconds > 0;
  total.transactions += all_time.transactions;
  total.revenue.units += all_time.revenue.units;

  ++counts_.users;
  counts_.paid_users += paid;
  ++counts_.users_by_country[country_text(country)];

  write_row(out_, Table::users, [&](BinaryRow& row) {
    row.uuid(user_id);
    if (reg.has_name)
      row.text(store_.name_of(reg));
    else
      row.null();
    row.text(std::string_view(reg.country, 2)).text(to_string(reg.device_os));
    if (reg.campaign != 0)
      row.text(store_.campaign_of(reg));
    else
      row.null();
    row.timestamp(registered_at_).int8(static_cast<std::int64_t>(registration_event_id_));
    row.int4(all_time.logins).int4(all_time.sessions_counted).int8(all_time.time_spent_seconds);
    row.day(last_login_day_).int4(all_time.transactions).numeric(all_time.revenue.units, money_scale_);
  });

  registration_ = nullptr;
  days_.clear();
}

bool ModelBuilder::logged_in_on(DayNumber day) const {
  const auto it = std::lower_bound(days_.begin(), days_.end(), day,
                                   [](const DayFigures& figures, DayNumber d) { return figures.day < d; });
  return it != days_.end() && it->day == day && it->logins > 0;
}

void ModelBuilder::write_game_row(Table table, const GameFigures& g, std::optional<DayNumber> day,
                                  std::string_view country) {
  write_row(out_, table, [&](BinaryRow& row) {
    if (day) {
      row.day(*day).text(country).int4(g.active_users).int4(g.paid_active_users);
    } else {
      row.text(country).int4(g.users).int4(g.paid_users).int4(g.active_users);
    }
    row.int4(g.logins).int4(g.sessions_counted).int4(g.users_with_sessions).int8(g.time_spent_seconds);
    row.int4(g.users_with_time).int4(g.transactions).numeric(g.revenue.units, money_scale_);
    if (day) row.int4(g.new_users);
    row.int4(g.payers);
  });
}

void ModelBuilder::finish(std::int64_t run_id, UnixSeconds loaded_at) {
  for (const auto& [key, figures] : game_daily_) {
    write_game_row(Table::game_daily, figures, key.first, country_text(key.second));
    // Compared with the live generation's by the quality gate (etl/quality_gates.hpp).
    if (counts_.last_event && key.first == day_of(*counts_.last_event))
      counts_.last_day_active_users += static_cast<std::uint64_t>(figures.active_users);
  }
  for (const auto& [country, figures] : game_totals_) {
    write_game_row(Table::game_totals, figures, std::nullopt, country_text(country));
  }
  // An entry, not a structured binding: clang 14 (the fuzz build) cannot capture bindings in a lambda.
  for (const auto& entry : game_cohorts_) {
    write_row(out_, Table::game_cohorts, [&](BinaryRow& row) {
      const auto& [key, cohort] = entry;
      row.day(key.first).text(country_text(key.second)).int4(cohort.new_users);
      for (const std::int64_t retained : cohort.retained) row.int4(retained);
    });
  }
  write_row(out_, Table::dataset, [&](BinaryRow& row) {
    row.int8(run_id).timestamp(loaded_at);
    if (counts_.first_event)
      row.day(day_of(*counts_.first_event));
    else
      row.null();
    if (counts_.last_event)
      row.day(day_of(*counts_.last_event));
    else
      row.null();
  });
  for (auto& out : out_) out.flush();
}

}  // namespace ge
