-- Built after the data is in (much faster than maintaining them row by row during COPY).
-- evload runs these statements in parallel, one per connection, so keep one statement a line.
ALTER TABLE users ADD PRIMARY KEY (user_id);
ALTER TABLE sessions ADD PRIMARY KEY (login_event_id);
CREATE INDEX sessions_user_login_idx ON sessions (user_id, login_at);
ALTER TABLE transactions ADD PRIMARY KEY (event_id);
CREATE INDEX transactions_user_time_idx ON transactions (user_id, occurred_at);
ALTER TABLE user_daily ADD PRIMARY KEY (user_id, day);
ALTER TABLE game_daily ADD PRIMARY KEY (day, country);
ALTER TABLE game_totals ADD PRIMARY KEY (country);
ALTER TABLE game_cohorts ADD PRIMARY KEY (day, country);
