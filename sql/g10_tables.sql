-- One generation of loaded data. evload creates these tables in a fresh schema (search_path
-- points at it), fills them with COPY, then runs g20_indexes.sql and renames the schema to
-- ev_live in one short transaction. Readers never see a half-filled generation.
--
-- Lock protocol for readers: every statement that reads ev_live names ev_live.dataset FIRST in
-- its FROM clause (PostgreSQL locks tables in the order it meets them). The swap locks
-- ev_live.dataset first too, so a reader either runs wholly on the old generation or waits a few
-- milliseconds and runs wholly on the new one, and the two can never deadlock.

-- Raw model (SPEC §3) -----------------------------------------------------------------------

-- One row per user with an accepted registration, with all-time figures (SPEC §4 without a date).
CREATE TABLE users (
  user_id               uuid        NOT NULL,
  name                  text,
  country               char(2)     NOT NULL,
  device_os             text        NOT NULL CHECK (device_os IN ('iOS', 'Android', 'Web')),
  marketing_campaign    text,                 -- NULL: organic user
  registered_at         timestamptz NOT NULL,
  registration_event_id bigint      NOT NULL,
  logins                integer     NOT NULL,
  sessions_counted      integer     NOT NULL,
  time_spent_seconds    bigint      NOT NULL,
  last_login_day        date        NOT NULL,
  transactions          integer     NOT NULL,
  revenue_usd           numeric     NOT NULL
);

-- Every session: opened by a login or registration, closed by the next accepted logout.
CREATE TABLE sessions (
  login_event_id  bigint      NOT NULL,
  user_id         uuid        NOT NULL,
  login_at        timestamptz NOT NULL,
  logout_event_id bigint,                     -- NULL: never closed
  logout_at       timestamptz,
  length_seconds  bigint,
  counted         boolean     NOT NULL        -- closed and at least 1 second long
);

CREATE TABLE transactions (
  event_id    bigint       NOT NULL,
  user_id     uuid         NOT NULL,
  occurred_at timestamptz  NOT NULL,
  amount      numeric(6,2) NOT NULL,
  currency    text         NOT NULL,
  amount_usd  numeric      NOT NULL          -- amount × rate_to_usd, exact
);

-- Serving tables: every SPEC §4/§5/§7 answer is one or two index lookups (or one range scan of at
-- most 366 days × countries) into these; no answer reads the raw model ---------------------------

-- Per user and UTC day on which the user has a login, counted-session time or a transaction.
CREATE TABLE user_daily (
  user_id            uuid    NOT NULL,
  day                date    NOT NULL,
  logins             integer NOT NULL,
  sessions_counted   integer NOT NULL,      -- counted sessions whose login is on this day
  time_spent_seconds bigint  NOT NULL,      -- seconds of counted sessions inside this day
  transactions       integer NOT NULL,
  revenue_usd        numeric NOT NULL,
  -- The user's last login day on or before this day (NULL: none yet), so that a dated user query
  -- (SPEC §4 days_since_last_login) is one backward index step from the date: the newest row at or
  -- before it has both the day's figures (when it is that day) and the last login day.
  last_login_day     date
);

-- Per UTC day and registration country (only pairs with any activity).
CREATE TABLE game_daily (
  day                 date    NOT NULL,
  country             char(2) NOT NULL,
  active_users        integer NOT NULL,     -- distinct users with a login on the day
  paid_active_users   integer NOT NULL,     -- … of them paid users
  logins              integer NOT NULL,
  sessions_counted    integer NOT NULL,
  users_with_sessions integer NOT NULL,     -- distinct users with a counted session on the day
  time_spent_seconds  bigint  NOT NULL,
  users_with_time     integer NOT NULL,     -- distinct users with ≥ 1 counted second in the day
  transactions        integer NOT NULL,
  revenue_usd         numeric NOT NULL,     -- exact: SPEC §7.1's ARPDAU and ARPPU divide it unrounded
  new_users           integer NOT NULL,     -- users whose accepted registration is on the day (SPEC §7.1)
  payers              integer NOT NULL      -- distinct users with a transaction on the day
);

-- All-time figures per registration country (one row per country with at least one user).
CREATE TABLE game_totals (
  country             char(2) NOT NULL,
  users               integer NOT NULL,
  paid_users          integer NOT NULL,
  active_users        integer NOT NULL,
  logins              integer NOT NULL,
  sessions_counted    integer NOT NULL,
  users_with_sessions integer NOT NULL,
  time_spent_seconds  bigint  NOT NULL,
  users_with_time     integer NOT NULL,
  transactions        integer NOT NULL,
  revenue_usd         numeric NOT NULL,
  payers              integer NOT NULL      -- users with any transaction (SPEC §7.1 all time)
);

-- Retention cohorts (SPEC §7.3): per registration day and registration country (only pairs with
-- at least one registration), the cohort's size and how many of its users logged in on day
-- R + K. Whether R + K is observable (not after dataset.last_data_day) is decided when reading:
-- the count of a day after the data is stored as 0 and answered as null.
CREATE TABLE game_cohorts (
  day          date    NOT NULL,            -- the registration day R
  country      char(2) NOT NULL,
  new_users    integer NOT NULL,
  retained_d1  integer NOT NULL,
  retained_d3  integer NOT NULL,
  retained_d7  integer NOT NULL,
  retained_d14 integer NOT NULL,
  retained_d30 integer NOT NULL
);

-- Exactly one row: what this generation is.
CREATE TABLE dataset (
  run_id          bigint      NOT NULL,
  loaded_at       timestamptz NOT NULL,
  first_event_day date,                       -- NULL when nothing was accepted
  last_data_day   date
);
