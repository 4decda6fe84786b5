-- Migration 1: the permanent bookkeeping schema. Applied once by evload, recorded in
-- evmeta.schema_migrations. Everything a load produces lives in a generation schema instead
-- (g*.sql), and the live one is always called ev_live.
CREATE SCHEMA IF NOT EXISTS evmeta;

CREATE TABLE IF NOT EXISTS evmeta.schema_migrations (
  version    text        PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);

-- One row per evload run, kept after the generation it made is replaced.
CREATE TABLE IF NOT EXISTS evmeta.load_runs (
  run_id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  started_at        timestamptz NOT NULL DEFAULT now(),
  finished_at       timestamptz,
  status            text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  events_path       text        NOT NULL,
  events_bytes      bigint,
  rates_path        text        NOT NULL,
  generation_schema text        NOT NULL,
  evload_version    text        NOT NULL,
  report            jsonb,
  error             text
);
CREATE INDEX IF NOT EXISTS load_runs_status_idx ON evmeta.load_runs (status, run_id DESC);
