-- Migration 2 (issue 15): runs stopped by SIGINT/SIGTERM are recorded as 'interrupted', and the
-- generations a load replaces are kept (ev_retired_<run>) for `evload rollback`: retired_at says
-- when each stopped being live, so the newest N are the ones kept.
ALTER TABLE evmeta.load_runs DROP CONSTRAINT IF EXISTS load_runs_status_check;
ALTER TABLE evmeta.load_runs ADD CONSTRAINT load_runs_status_check
  CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted'));
ALTER TABLE evmeta.load_runs ADD COLUMN IF NOT EXISTS retired_at timestamptz;
