-- jobkit schema version 6 (both dialects, same shape; see sqlite/V6__maintenance.sql): background
-- maintenance that one process at a time does for the whole database, automatic retention first.
--
-- * jobkit_maintenance has one row per task ('retention'). The lease (owner, expiry) lets only one
--   worker process or node run the task at a time; it lives here, not in memory, so that every
--   process on the database sees it. The other columns describe the last run, so that `jobkit
--   storage` in another process can show the policy, when it last ran and what it deleted.
-- * The retention row exists from the start, so taking the lease is one UPDATE.
CREATE TABLE jobkit_maintenance (
  task              TEXT   NOT NULL PRIMARY KEY,
  lease_owner       TEXT,
  lease_expires_at  BIGINT NOT NULL DEFAULT 0,
  settings          TEXT,
  run_by            TEXT,
  started_at        BIGINT NOT NULL DEFAULT 0,
  finished_at       BIGINT NOT NULL DEFAULT 0,
  deleted_completed BIGINT NOT NULL DEFAULT 0,
  deleted_failed    BIGINT NOT NULL DEFAULT 0,
  deleted_cancelled BIGINT NOT NULL DEFAULT 0,
  deleted_timed_out BIGINT NOT NULL DEFAULT 0,
  freed_bytes       BIGINT NOT NULL DEFAULT 0,
  total_deleted     BIGINT NOT NULL DEFAULT 0,
  error             TEXT
);
INSERT INTO jobkit_maintenance (task) VALUES ('retention');
