-- jobkit schema version 7 (both dialects, same shape; see sqlite/V7__schedules_templates.sql):
-- recurring schedules, their fire history, and job templates (#12).
--
-- * jobkit_schedules: one row per schedule, keyed by its name. The job it dispatches is stored as
--   a job is (name, MessagePack params and dispatch options), so any node can fire it without
--   knowing the type. next_fire_at is the next slot (epoch millis, before jitter); a node fires a
--   slot with an UPDATE ... WHERE next_fire_at = <the slot it read>, in the transaction that inserts
--   the slot's job under the idempotency key 'schedule:<name>@<slot>'. So any node may fire,
--   without a leader, and a slot is never fired twice nor lost. pending_slot holds the one slot
--   that QUEUE_ONE keeps waiting for a run still going.
-- * jobkit_schedule_fires: what happened to each slot (FIRED, TRIGGERED, SKIPPED with a reason).
--   Ids are time-sortable text made by the runtime, the same on both databases.
-- * jobkit_templates: saved, named JSON parameter presets of a job type.
CREATE TABLE jobkit_schedules (
  name             TEXT     NOT NULL PRIMARY KEY,
  job_name         TEXT     NOT NULL,
  params           BYTEA    NOT NULL,
  queue            TEXT     NOT NULL,
  priority         SMALLINT NOT NULL,
  max_attempts     INTEGER  NOT NULL,
  timeout_ms       BIGINT   NOT NULL DEFAULT 0,
  tags             TEXT     NOT NULL DEFAULT '',
  cron             TEXT,
  interval_ms      BIGINT   NOT NULL DEFAULT 0,
  zone             TEXT     NOT NULL,
  misfire          TEXT     NOT NULL,
  misfire_cap      INTEGER  NOT NULL,
  misfire_grace_ms BIGINT   NOT NULL,
  overlap          TEXT     NOT NULL,
  fall_back        TEXT     NOT NULL,
  jitter_ms        BIGINT   NOT NULL DEFAULT 0,
  paused           BOOLEAN  NOT NULL DEFAULT FALSE,
  pause_reason     TEXT,
  next_fire_at     BIGINT   NOT NULL,
  pending_slot     BIGINT,
  last_fire_at     BIGINT   NOT NULL DEFAULT 0,
  last_job_id      TEXT,
  declared         BOOLEAN  NOT NULL DEFAULT FALSE,
  created_at       BIGINT   NOT NULL,
  created_by       TEXT,
  updated_at       BIGINT   NOT NULL
);
CREATE INDEX jobkit_schedules_due ON jobkit_schedules (next_fire_at);

CREATE TABLE jobkit_schedule_fires (
  id          TEXT   NOT NULL PRIMARY KEY,
  schedule    TEXT   NOT NULL REFERENCES jobkit_schedules (name) ON DELETE CASCADE,
  slot        BIGINT NOT NULL,
  outcome     TEXT   NOT NULL,
  job_id      TEXT,
  reason      TEXT,
  recorded_at BIGINT NOT NULL
);
CREATE INDEX jobkit_schedule_fires_schedule ON jobkit_schedule_fires (schedule, id);

CREATE TABLE jobkit_templates (
  name        TEXT   NOT NULL PRIMARY KEY,
  job_name    TEXT   NOT NULL,
  params      TEXT   NOT NULL,
  description TEXT,
  created_at  BIGINT NOT NULL,
  created_by  TEXT,
  updated_at  BIGINT NOT NULL
);
