#include "etl/model_builder.hpp"

#include <algorithm>

#include "etl/copy_row.hpp"

namespace ge {
namespace {
std::uint16_t country_key(const char country[2]) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(country[0]) << 8) | static_cast<unsigned char>(country[1]));
}
std::string country_text(std::uint16_t key) {
  return std::string{static_cast<char>(key >> 8), static_cast<char>(key & 0xFF)};
}
template <class Fill>
void write_row(TableOutput& out, Fill&& fill) {
  {
    CopyRow row(out.buffer());
    fill(row);
  }
  out.row_done();
}
}  // namespace

ModelBuilder::ModelBuilder(const EventStore& store, const ExchangeRates& rates, TableOutputs& outputs)
    : store_(store), rates_(rates), out_(outputs) {
  for (std::size_t c = 0; c < rates.size(); ++c) money_scale_ = std::max(money_scale_, 2 + rates.at(static_cast<std::uint8_t>(c)).rate_to_usd.scale);
  for (std::size_t c = 0; c < rates.size(); ++c) {
    const Decimal& rate = rates.at(static_cast<std::uint8_t>(c)).rate_to_usd;
    std::array<ScaledMoney, 5> values{};
    std::array<std::string, 5> texts;
    for (std::uint8_t a = 0; a < 5; ++a) {
      const Decimal usd = (amount_decimal(a) * rate).rescaled(money_scale_);
      values[a] = ScaledMoney{usd.mantissa};
      texts[a] = money_text(values[a]);
    }
    amount_usd_.push_back(values);
    amount_usd_text_.push_back(std::move(texts));
  }
}

std::string ModelBuilder::money_text(ScaledMoney money) const {
  // Exact, with trailing zeros of the fraction dropped (numeric keeps what it is given).
  std::string text = Decimal{money.units, money_scale_}.to_string();
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
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
    write_row(out_[static_cast<std::size_t>(Table::sessions)], [&](CopyRow& row) {
      row.integer(static_cast<std::int64_t>(session.login_event_id)).uuid(user_id).timestamp(session.login_at);
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
  write_row(out_[static_cast<std::size_t>(Table::sessions)], [&](CopyRow& row) {
    row.integer(static_cast<std::int64_t>(session.login_event_id)).uuid(user_id).timestamp(session.login_at);
    row.integer(static_cast<std::int64_t>(logout->event_id)).timestamp(logout->timestamp()).integer(length);
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
    case EventType::login:
      open_session(event);
      break;
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
      const auto cents = kAllowedAmountCents[event.amount_code()];
      char amount[8];
      amount[0] = static_cast<char>('0' + cents / 100);
      amount[1] = '.';
      amount[2] = static_cast<char>('0' + cents / 10 % 10);
      amount[3] = static_cast<char>('0' + cents % 10);
      write_row(out_[static_cast<std::size_t>(Table::transactions)], [&](CopyRow& row) {
        row.integer(static_cast<std::int64_t>(event.event_id)).uuid(store_.user_ids()[event.user]).timestamp(ts);
        row.raw(std::string_view(amount, 4)).text(rates_.at(event.currency()).code);
        row.raw(amount_usd_text_[event.currency()][event.amount_code()]);
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
  for (const DayFigures& day : days_) {
    write_row(out_[static_cast<std::size_t>(Table::user_daily)], [&](CopyRow& row) {
      row.uuid(user_id).day(day.day).integer(day.logins).integer(day.sessions_counted).integer(day.time_spent_seconds);
      row.integer(day.transactions).raw(money_text(day.revenue));
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

    all_time.logins += day.logins;
    all_time.sessions_counted += day.sessions_counted;
    all_time.time_spent_seconds += day.time_spent_seconds;
    all_time.transactions += day.transactions;
    all_time.revenue.units += day.revenue.units;
  }
  total.users += 1;
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

  write_row(out_[static_cast<std::size_t>(Table::users)], [&](CopyRow& row) {
    row.uuid(user_id);
    if (reg.has_name) row.text(store_.name_of(reg)); else row.null();
    row.raw(std::string_view(reg.country, 2)).raw(to_string(reg.device_os));
    if (reg.campaign != 0) row.text(store_.campaign_of(reg)); else row.null();
    row.timestamp(registered_at_).integer(static_cast<std::int64_t>(registration_event_id_));
    row.integer(all_time.logins).integer(all_time.sessions_counted).integer(all_time.time_spent_seconds);
    row.day(last_login_day_).integer(all_time.transactions).raw(money_text(all_time.revenue));
  });

  registration_ = nullptr;
  days_.clear();
}

void ModelBuilder::write_game_row(TableOutput& out, const GameFigures& g, std::optional<DayNumber> day,
                                  std::string_view country) {
  write_row(out, [&](CopyRow& row) {
    if (day) {
      row.day(*day).raw(country).integer(g.active_users).integer(g.paid_active_users);
    } else {
      row.raw(country).integer(g.users).integer(g.paid_users).integer(g.active_users);
    }
    row.integer(g.logins).integer(g.sessions_counted).integer(g.users_with_sessions).integer(g.time_spent_seconds);
    row.integer(g.users_with_time).integer(g.transactions).raw(money_text(g.revenue));
  });
}

void ModelBuilder::finish(std::int64_t run_id, UnixSeconds loaded_at) {
  for (const auto& [key, figures] : game_daily_) {
    write_game_row(out_[static_cast<std::size_t>(Table::game_daily)], figures, key.first, country_text(key.second));
  }
  for (const auto& [country, figures] : game_totals_) {
    write_game_row(out_[static_cast<std::size_t>(Table::game_totals)], figures, std::nullopt, country_text(country));
  }
  write_row(out_[static_cast<std::size_t>(Table::dataset)], [&](CopyRow& row) {
    row.integer(run_id).timestamp(loaded_at);
    if (counts_.first_event) row.day(day_of(*counts_.first_event)); else row.null();
    if (counts_.last_event) row.day(day_of(*counts_.last_event)); else row.null();
  });
  for (auto& out : out_) out.flush();
}

}  // namespace ge
