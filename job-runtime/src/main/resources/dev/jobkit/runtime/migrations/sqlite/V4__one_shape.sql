-- jobkit schema version 4 for SQLite: the one table shape shared with PostgreSQL (same table and
-- column names and types, BLOB here being bytea there; see postgres/V4__one_shape.sql), and fewer
-- B-trees per dispatch.
--
-- * Tables are renamed to jobkit_*, as on PostgreSQL, and copied into their new definitions (SQLite
--   cannot change a column's type or an index's kind in place). Flags are BOOLEAN (still stored as
--   0/1 here), priority and log level SMALLINT.
-- * The idempotency key's unique index is partial: most jobs have no key, and a full index stored
--   every NULL, one more B-tree write per dispatch for nothing.
-- * Tags are matched through jobkit_job_tags (tag, job_id), an index only tagged jobs write to; the
--   jobs row keeps the list as ',a,b,' for display.
-- * Event ids are INTEGER PRIMARY KEY without AUTOINCREMENT (no sqlite_sequence write per event);
--   new ids are max(id) + 1, and events are deleted only with finished jobs, oldest first.
-- * The CREATED event is not stored on either database: it is the job row's creation (created_at,
--   and the status the first stored event left, or the current one).
-- * jobkit_nodes exists on both databases, so that the shape is one; only PostgreSQL nodes register
--   in it today (SQLite processes on one host find dead owners by their pid).
CREATE TABLE jobkit_jobs (
  id               TEXT     NOT NULL PRIMARY KEY,
  name             TEXT     NOT NULL,
  params           BLOB     NOT NULL,
  state            BLOB,
  state_version    BIGINT   NOT NULL DEFAULT 0,
  status           TEXT     NOT NULL,
  priority         SMALLINT NOT NULL,
  queue            TEXT     NOT NULL,
  attempts         INTEGER  NOT NULL DEFAULT 0,
  max_attempts     INTEGER  NOT NULL,
  run_at           BIGINT   NOT NULL,
  lease_owner      TEXT,
  lease_expires_at BIGINT,
  lease_epoch      BIGINT   NOT NULL DEFAULT 0,
  cancel_requested BOOLEAN  NOT NULL DEFAULT FALSE,
  pause_requested  BOOLEAN  NOT NULL DEFAULT FALSE,
  resumed          BOOLEAN  NOT NULL DEFAULT FALSE,
  progress         TEXT,
  output           TEXT,
  error            TEXT,
  tags             TEXT     NOT NULL DEFAULT '',
  idempotency_key  TEXT,
  timeout_ms       BIGINT   NOT NULL DEFAULT 0,
  backoff_ms       BIGINT   NOT NULL DEFAULT 0,
  created_at       BIGINT   NOT NULL,
  started_at       BIGINT   NOT NULL DEFAULT 0,
  finished_at      BIGINT   NOT NULL DEFAULT 0,
  updated_at       BIGINT   NOT NULL
);
INSERT INTO jobkit_jobs (id, name, params, state, state_version, status, priority, queue,
    attempts, max_attempts, run_at, lease_owner, lease_expires_at, lease_epoch, cancel_requested,
    pause_requested, resumed, progress, output, error, tags, idempotency_key, timeout_ms,
    backoff_ms, created_at, started_at, finished_at, updated_at)
  SELECT id, name, params, state, state_version, status, priority, queue, attempts, max_attempts,
    run_at, lease_owner, lease_expires_at, lease_epoch, cancel_requested <> 0, pause_requested <> 0,
    resumed <> 0, progress, output, error, tags, idempotency_key, timeout_ms, backoff_ms,
    created_at, started_at, finished_at, updated_at
  FROM jobs;

CREATE TABLE jobkit_job_events (
  id          INTEGER PRIMARY KEY,
  job_id      TEXT    NOT NULL REFERENCES jobkit_jobs (id) ON DELETE CASCADE,
  at          BIGINT  NOT NULL,
  type        TEXT    NOT NULL,
  from_status TEXT,
  to_status   TEXT,
  detail      TEXT
);
INSERT INTO jobkit_job_events (id, job_id, at, type, from_status, to_status, detail)
  SELECT id, job_id, at, type, from_status, to_status, detail FROM job_events
  WHERE type <> 'CREATED';

CREATE TABLE jobkit_job_logs (
  id      INTEGER  PRIMARY KEY,
  job_id  TEXT     NOT NULL REFERENCES jobkit_jobs (id) ON DELETE CASCADE,
  at      BIGINT   NOT NULL,
  level   SMALLINT NOT NULL,
  message TEXT     NOT NULL,
  attempt INTEGER  NOT NULL
);
INSERT INTO jobkit_job_logs (id, job_id, at, level, message, attempt)
  SELECT id, job_id, at, level, message, attempt FROM job_logs;

CREATE TABLE jobkit_job_tags (
  tag    TEXT NOT NULL,
  job_id TEXT NOT NULL REFERENCES jobkit_jobs (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, job_id)
) WITHOUT ROWID;
-- ',a,b,' split into rows.
WITH RECURSIVE split (job_id, tag, rest) AS (
    SELECT id, NULL, substr(tags, 2) FROM jobs WHERE tags <> ''
    UNION ALL
    SELECT job_id, substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
    FROM split WHERE rest <> ''
  )
  INSERT OR IGNORE INTO jobkit_job_tags (tag, job_id)
  SELECT tag, job_id FROM split WHERE tag IS NOT NULL AND tag <> '';

DROP TABLE job_logs;
DROP TABLE job_events;
DROP TABLE jobs;

CREATE TABLE jobkit_nodes (
  id           TEXT   NOT NULL PRIMARY KEY,
  host         TEXT   NOT NULL,
  queues       TEXT   NOT NULL,
  started_at   BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL,
  lease_ms     BIGINT NOT NULL
);

-- The claim query: due jobs of a queue by priority desc, then run_at, then id. Partial, so finished
-- jobs do not bloat it; the claim query repeats this exact predicate with inlined literals.
CREATE INDEX jobkit_jobs_claim ON jobkit_jobs (queue, priority DESC, run_at, id)
  WHERE status IN ('QUEUED', 'SCHEDULED', 'WAITING_RETRY');
-- Listing by status and by name, newest first; lease renewal and recovery find the (small)
-- RUNNING set through the first.
CREATE INDEX jobkit_jobs_status_id ON jobkit_jobs (status, id);
CREATE INDEX jobkit_jobs_name_id ON jobkit_jobs (name, id);
CREATE INDEX jobkit_jobs_finished ON jobkit_jobs (finished_at) WHERE finished_at > 0;
CREATE UNIQUE INDEX jobkit_jobs_idempotency ON jobkit_jobs (idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobkit_job_tags_job ON jobkit_job_tags (job_id);
CREATE INDEX jobkit_job_events_job ON jobkit_job_events (job_id, id);
CREATE INDEX jobkit_job_logs_job ON jobkit_job_logs (job_id, id);
