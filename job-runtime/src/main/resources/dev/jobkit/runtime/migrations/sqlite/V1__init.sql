-- jobkit schema version 1 for SQLite. Times are epoch millis; booleans are 0/1.
CREATE TABLE jobs (
  id               TEXT    NOT NULL PRIMARY KEY,
  name             TEXT    NOT NULL,
  params           BLOB    NOT NULL,
  state            BLOB,
  state_version    INTEGER NOT NULL DEFAULT 0,
  status           TEXT    NOT NULL,
  priority         INTEGER NOT NULL,
  queue            TEXT    NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL,
  run_at           INTEGER NOT NULL,
  lease_owner      TEXT,
  lease_expires_at INTEGER,
  lease_epoch      INTEGER NOT NULL DEFAULT 0,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  pause_requested  INTEGER NOT NULL DEFAULT 0,
  resumed          INTEGER NOT NULL DEFAULT 0,
  progress         TEXT,
  output           TEXT,
  error            TEXT,
  tags             TEXT    NOT NULL DEFAULT '',
  idempotency_key  TEXT    UNIQUE,
  timeout_ms       INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  started_at       INTEGER NOT NULL DEFAULT 0,
  finished_at      INTEGER NOT NULL DEFAULT 0,
  updated_at       INTEGER NOT NULL
);

-- The claim query: due jobs of a queue by priority desc, then run_at, then id. Partial, so finished
-- jobs do not bloat it; the claim query repeats this exact predicate with inlined literals.
CREATE INDEX jobs_claim ON jobs (queue, priority DESC, run_at, id)
  WHERE status IN ('QUEUED', 'SCHEDULED', 'WAITING_RETRY');
CREATE INDEX jobs_running_lease ON jobs (lease_expires_at) WHERE status = 'RUNNING';
CREATE INDEX jobs_running_owner ON jobs (lease_owner) WHERE status = 'RUNNING';
CREATE INDEX jobs_status_id ON jobs (status, id);
CREATE INDEX jobs_name_id ON jobs (name, id);
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at > 0;

-- AUTOINCREMENT so event ids are never reused after cleanup: they are stream cursors.
CREATE TABLE job_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id      TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  at          INTEGER NOT NULL,
  type        TEXT    NOT NULL,
  from_status TEXT,
  to_status   TEXT,
  detail      TEXT
);
CREATE INDEX job_events_job ON job_events (job_id, id);

CREATE TABLE job_logs (
  id      INTEGER PRIMARY KEY,
  job_id  TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  at      INTEGER NOT NULL,
  level   INTEGER NOT NULL,
  message TEXT    NOT NULL,
  attempt INTEGER NOT NULL
);
CREATE INDEX job_logs_job ON job_logs (job_id, id);
