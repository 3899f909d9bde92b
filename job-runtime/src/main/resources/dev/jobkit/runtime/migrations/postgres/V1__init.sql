-- jobkit schema version 1 for PostgreSQL; the same meaning as SQLite's V1 + V2.
--
-- Runs inside the migration transaction with search_path set to the configured schema, so names
-- are unqualified. Times are epoch millis (bigint), as in the store contract: callers pass their
-- own clock's millis, and a bigint compares and indexes as cheaply as anything. Identifier-like
-- text columns use the "C" collation, so ORDER BY id is the byte order ULIDs sort in and prefix
-- ranges on id use the primary key, whatever the database's default collation is.

-- fillfactor leaves room on each page so that checkpoint and progress writes, which touch no
-- indexed column, can be HOT updates; autovacuum runs sooner than the default on this queue-like
-- table, whose rows are updated several times each.
CREATE TABLE jobkit_jobs (
  id               text     COLLATE "C" NOT NULL PRIMARY KEY,
  name             text     COLLATE "C" NOT NULL,
  params           bytea    NOT NULL,
  state            bytea,
  state_version    bigint   NOT NULL DEFAULT 0,
  status           text     COLLATE "C" NOT NULL,
  priority         smallint NOT NULL,
  queue            text     COLLATE "C" NOT NULL,
  attempts         integer  NOT NULL DEFAULT 0,
  max_attempts     integer  NOT NULL,
  run_at           bigint   NOT NULL,
  lease_owner      text     COLLATE "C",
  lease_expires_at bigint,
  lease_epoch      bigint   NOT NULL DEFAULT 0,
  cancel_requested boolean  NOT NULL DEFAULT false,
  pause_requested  boolean  NOT NULL DEFAULT false,
  resumed          boolean  NOT NULL DEFAULT false,
  progress         text,
  output           text,
  error            text,
  tags             text[]   NOT NULL DEFAULT '{}',
  idempotency_key  text     COLLATE "C" UNIQUE,
  timeout_ms       bigint   NOT NULL DEFAULT 0,
  backoff_ms       bigint   NOT NULL DEFAULT 0,
  created_at       bigint   NOT NULL,
  started_at       bigint   NOT NULL DEFAULT 0,
  finished_at      bigint   NOT NULL DEFAULT 0,
  updated_at       bigint   NOT NULL
) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05,
        autovacuum_analyze_scale_factor = 0.05);

-- The claim query: due jobs of a queue by priority desc, then run_at, then id. Partial, so finished
-- jobs do not bloat it; the claim query repeats this exact predicate with inlined literals.
CREATE INDEX jobkit_jobs_claim ON jobkit_jobs (queue, priority DESC, run_at, id)
  WHERE status IN ('QUEUED', 'SCHEDULED', 'WAITING_RETRY');
CREATE INDEX jobkit_jobs_running_lease ON jobkit_jobs (lease_expires_at) WHERE status = 'RUNNING';
CREATE INDEX jobkit_jobs_running_owner ON jobkit_jobs (lease_owner) WHERE status = 'RUNNING';
CREATE INDEX jobkit_jobs_status_id ON jobkit_jobs (status, id);
CREATE INDEX jobkit_jobs_name_id ON jobkit_jobs (name, id);
CREATE INDEX jobkit_jobs_finished ON jobkit_jobs (finished_at) WHERE finished_at > 0;
-- Listing by tag. Partial, so untagged jobs cost nothing on insert; the list query repeats the
-- predicate.
CREATE INDEX jobkit_jobs_tags ON jobkit_jobs USING gin (tags) WHERE tags <> '{}';

-- Identity columns draw from a sequence, so event ids are never reused after cleanup: they are
-- stream cursors. Under concurrent writers a smaller id can commit after a larger one; readers
-- that follow the stream by id must allow for that (see docs/postgres.md).
CREATE TABLE jobkit_job_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id      text   COLLATE "C" NOT NULL REFERENCES jobkit_jobs (id) ON DELETE CASCADE,
  at          bigint NOT NULL,
  type        text   COLLATE "C" NOT NULL,
  from_status text   COLLATE "C",
  to_status   text   COLLATE "C",
  detail      text
);
CREATE INDEX jobkit_job_events_job ON jobkit_job_events (job_id, id);

CREATE TABLE jobkit_job_logs (
  id      bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id  text     COLLATE "C" NOT NULL REFERENCES jobkit_jobs (id) ON DELETE CASCADE,
  at      bigint   NOT NULL,
  level   smallint NOT NULL,
  message text     NOT NULL,
  attempt integer  NOT NULL
);
CREATE INDEX jobkit_job_logs_job ON jobkit_job_logs (job_id, id);
