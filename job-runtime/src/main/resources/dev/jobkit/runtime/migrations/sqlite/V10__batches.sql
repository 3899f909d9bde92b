-- jobkit schema version 10 (both dialects, same shape; see postgres/V10__batches.sql):
-- batches of jobs with callbacks (#12).
--
-- * jobkit_batches: one row per batch. total is the number of members; completed, failed
--   (FAILED or TIMED_OUT) and cancelled count the members that are in that final status now, kept
--   in the transaction of every member's change into or out of it. state is RUNNING until every
--   member is final at once, then SUCCEEDED (all completed) or FAILED, for good: the transaction
--   that makes it final (UPDATE ... WHERE state = 'RUNNING') queues the callback jobs that apply
--   and cancels the others. Callbacks are ordinary jobs inserted WAITING with the batch (keys
--   'batch:<id>:success|failure|complete'); on_* hold their ids (null when not given).
-- * jobkit_jobs.batch_id: the batch a job is a member of (null for most jobs). A member also has
--   has_children set, so that its end takes the path that tells its followers (children and now
--   the batch); a job in no batch and without children pays nothing more when it ends.
ALTER TABLE jobkit_jobs ADD COLUMN batch_id TEXT;
CREATE INDEX jobkit_jobs_batch ON jobkit_jobs (batch_id, status) WHERE batch_id IS NOT NULL;

CREATE TABLE jobkit_batches (
  id          TEXT    NOT NULL PRIMARY KEY,
  name        TEXT,
  description TEXT,
  state       TEXT    NOT NULL,
  total       INTEGER NOT NULL,
  completed   INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  cancelled   INTEGER NOT NULL DEFAULT 0,
  on_success  TEXT,
  on_failure  TEXT,
  on_complete TEXT,
  created_at  BIGINT  NOT NULL,
  created_by  TEXT,
  finished_at BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX jobkit_batches_created ON jobkit_batches (created_at);
