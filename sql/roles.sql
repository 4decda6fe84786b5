-- The two database roles, and what each may do in the database this script runs in.
-- Run it as a superuser in every database evload fills (scripts/pgcluster createdb does; so does
-- the postgres container's init, compose.yaml). Idempotent, and safe to run in several databases
-- at once (see the lock below).
--
--   ev_loader  evload connects as it. It owns evmeta and every generation schema (ev_gen_<run>,
--              ev_live, ev_retired_<run>): creates, fills, renames and drops them. No superuser.
--   ev_reader  evserve and analysts connect as it. It can read ev_live and evmeta and nothing
--              else: no writes, no DDL, and its transactions are read-only by default.
--
-- Each load makes a new generation schema, so a GRANT on today's tables would not reach
-- tomorrow's: default privileges do, for every schema and table ev_loader creates from now on.
-- Passwords are not set here (scripts/pgcluster uses trust on 127.0.0.1; the compose stack sets
-- them from its environment).

BEGIN;
-- Roles and their settings are cluster-wide rows: two sessions running this script at once, even in
-- different databases (parallel tests, two databases set up together), would update the same row
-- of pg_authid or pg_db_role_setting and one would fail with "tuple concurrently updated". Advisory
-- locks are per database, so serialise on the shared catalog itself. This mode conflicts with
-- itself and with VACUUM/ANALYZE of pg_authid (which wait); logins and role changes go on. It is
-- released at COMMIT. It needs a superuser, as the rest of the script does.
LOCK TABLE pg_catalog.pg_authid IN SHARE UPDATE EXCLUSIVE MODE;

DO $roles$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ev_loader') THEN
    CREATE ROLE ev_loader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ev_reader') THEN
    CREATE ROLE ev_reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
  EXECUTE format('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO ev_loader', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO ev_reader', current_database());
  EXECUTE format('REVOKE CREATE, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END
$roles$;

-- Belt and braces: even a table someone grants by mistake cannot be written by a reader session
-- unless it turns this off explicitly (the privileges below refuse it anyway).
-- Set only when missing: rewriting the shared setting row each run could still race an operator's
-- own ALTER ROLE ev_reader SET … in another session.
DO $read_only$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_db_role_setting
                 WHERE setdatabase = 0 AND setrole = 'ev_reader'::regrole
                   AND 'default_transaction_read_only=on' = ANY (setconfig)) THEN
    ALTER ROLE ev_reader SET default_transaction_read_only = on;
  END IF;
END
$read_only$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

ALTER DEFAULT PRIVILEGES FOR ROLE ev_loader GRANT USAGE ON SCHEMAS TO ev_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE ev_loader GRANT SELECT ON TABLES TO ev_reader;

-- A database loaded before these roles existed holds evload's schemas under another owner:
-- hand them to ev_loader (so its next load can rename and drop them) and let ev_reader read them.
DO $adopt$
DECLARE
  schema_name text;
  table_name  text;
BEGIN
  FOR schema_name IN
    SELECT nspname FROM pg_namespace
    WHERE (nspname IN ('ev_live', 'evmeta') OR nspname LIKE 'ev\_gen\_%' OR nspname LIKE 'ev\_retired\_%')
      AND nspowner <> 'ev_loader'::regrole
  LOOP
    EXECUTE format('ALTER SCHEMA %I OWNER TO ev_loader', schema_name);
    FOR table_name IN
      SELECT c.relname FROM pg_class c
      WHERE c.relnamespace = schema_name::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')  -- identity sequences follow their table
    LOOP
      EXECUTE format('ALTER TABLE %I.%I OWNER TO ev_loader', schema_name, table_name);
    END LOOP;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO ev_reader', schema_name);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO ev_reader', schema_name);
  END LOOP;
END
$adopt$;

COMMIT;
