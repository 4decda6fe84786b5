-- Built after the data is in (much faster than maintaining them row by row during COPY).
-- evload runs these statements in parallel, one per connection, so keep one statement a line.
-- Only what queries use or integrity needs: an index no query reads costs load time and disk
-- (sessions (user_id, login_at), the largest at 187 MB for 10M events, served none and is gone).
ALTER TABLE users ADD PRIMARY KEY (user_id);
ALTER TABLE sessions ADD PRIMARY KEY (login_event_id);
ALTER TABLE transactions ADD PRIMARY KEY (event_id);
CREATE INDEX transactions_user_time_idx ON transactions (user_id, occurred_at);
ALTER TABLE user_daily ADD PRIMARY KEY (user_id, day);
ALTER TABLE game_daily ADD PRIMARY KEY (day, country);
ALTER TABLE game_totals ADD PRIMARY KEY (country);
ALTER TABLE game_cohorts ADD PRIMARY KEY (day, country);
