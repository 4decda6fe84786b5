-- Serving tables for fixtures/tiny, derived from tiny/queries.jsonl and analytics.jsonl (one user per country, so
-- per-user rows determine the per-country ones). Lets the server tests run without evload.
-- Load with: psql -v ON_ERROR_STOP=1 -f tiny_ev_live.sql (drops and recreates schema ev_live).
BEGIN;
DROP SCHEMA IF EXISTS ev_live CASCADE;
CREATE SCHEMA ev_live;
SET LOCAL search_path = ev_live;
\i :tables_sql
INSERT INTO users VALUES ('a1a1a1a1-683b-11ee-aca7-8699b86be788', 'Horst Meyer', 'DE', 'iOS', 'camp', '2010-05-08 10:00:00+00', 1, 2, 2, 900, '2010-05-08', 1, 6.277);
INSERT INTO users VALUES ('b2b2b2b2-683b-11ee-aca7-8699b86be788', NULL, 'US', 'iOS', NULL, '2010-05-08 10:00:00+00', 2, 3, 1, 1, '2010-05-10', 1, 2.587);
INSERT INTO users VALUES ('c3c3c3c3-683b-11ee-aca7-8699b86be788', NULL, 'ES', 'iOS', NULL, '2010-05-10 10:00:00+00', 3, 1, 1, 7200, '2010-05-10', 0, 0.0);
INSERT INTO users VALUES ('f6f6f6f6-683b-11ee-aca7-8699b86be788', 'Renata Mascagni', 'IT', 'iOS', 'camp', '2010-05-08 10:00:00+00', 4, 2, 2, 160, '2010-05-08', 0, 0.0);
INSERT INTO user_daily VALUES ('a1a1a1a1-683b-11ee-aca7-8699b86be788', '2010-05-08', 2, 2, 700, 1, 6.277, '2010-05-08');
INSERT INTO user_daily VALUES ('a1a1a1a1-683b-11ee-aca7-8699b86be788', '2010-05-09', 0, 0, 200, 0, 0.0, '2010-05-08');
INSERT INTO user_daily VALUES ('b2b2b2b2-683b-11ee-aca7-8699b86be788', '2010-05-08', 1, 0, 0, 0, 0.0, '2010-05-08');
INSERT INTO user_daily VALUES ('b2b2b2b2-683b-11ee-aca7-8699b86be788', '2010-05-09', 1, 1, 1, 1, 2.587, '2010-05-09');
INSERT INTO user_daily VALUES ('b2b2b2b2-683b-11ee-aca7-8699b86be788', '2010-05-10', 1, 0, 0, 0, 0.0, '2010-05-10');
INSERT INTO user_daily VALUES ('c3c3c3c3-683b-11ee-aca7-8699b86be788', '2010-05-10', 1, 1, 7200, 0, 0.0, '2010-05-10');
INSERT INTO user_daily VALUES ('f6f6f6f6-683b-11ee-aca7-8699b86be788', '2010-05-08', 2, 2, 160, 0, 0.0, '2010-05-08');
INSERT INTO game_daily VALUES ('2010-05-08', 'DE', 1, 1, 2, 2, 1, 700, 1, 1, 6.277, 1, 1);
INSERT INTO game_daily VALUES ('2010-05-08', 'IT', 1, 1, 2, 2, 1, 160, 1, 0, 0.0, 1, 0);
INSERT INTO game_daily VALUES ('2010-05-08', 'US', 1, 0, 1, 0, 0, 0, 0, 0, 0.0, 1, 0);
INSERT INTO game_daily VALUES ('2010-05-09', 'DE', 0, 0, 0, 0, 0, 200, 1, 0, 0.0, 0, 0);
INSERT INTO game_daily VALUES ('2010-05-09', 'US', 1, 0, 1, 1, 1, 1, 1, 1, 2.587, 0, 1);
INSERT INTO game_daily VALUES ('2010-05-10', 'ES', 1, 0, 1, 1, 1, 7200, 1, 0, 0.0, 1, 0);
INSERT INTO game_daily VALUES ('2010-05-10', 'US', 1, 0, 1, 0, 0, 0, 0, 0, 0.0, 0, 0);
INSERT INTO game_totals VALUES ('DE', 1, 1, 1, 2, 2, 1, 900, 1, 1, 6.277, 1);
INSERT INTO game_totals VALUES ('ES', 1, 0, 1, 1, 1, 1, 7200, 1, 0, 0.0, 0);
INSERT INTO game_totals VALUES ('IT', 1, 1, 1, 2, 2, 1, 160, 1, 0, 0.0, 0);
INSERT INTO game_totals VALUES ('US', 1, 0, 1, 3, 1, 1, 1, 1, 1, 2.587, 1);
INSERT INTO game_cohorts VALUES ('2010-05-08', 'DE', 1, 0, 0, 0, 0, 0);
INSERT INTO game_cohorts VALUES ('2010-05-08', 'IT', 1, 0, 0, 0, 0, 0);
INSERT INTO game_cohorts VALUES ('2010-05-08', 'US', 1, 1, 0, 0, 0, 0);
INSERT INTO game_cohorts VALUES ('2010-05-10', 'ES', 1, 0, 0, 0, 0, 0);
INSERT INTO dataset VALUES (1, now(), '2010-05-08', '2010-05-10');
\i :indexes_sql
COMMIT;
