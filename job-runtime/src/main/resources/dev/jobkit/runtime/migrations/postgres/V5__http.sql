-- jobkit schema version 5 (both dialects, same shape; see sqlite/V5__http.sql): who did what, and
-- API keys, for the HTTP API and dashboard.
--
-- * jobkit_job_events.actor: who asked for a change (key:NAME, cli, ...); NULL when the runtime
--   made it. jobkit_jobs.created_by: who dispatched the job. Added without defaults, so no existing
--   row is rewritten.
-- * jobkit_api_keys: only the SHA-256 of each secret is stored. A name is unique among the keys that
--   are not revoked (a partial unique index), so a name can be reused after its key was revoked.
ALTER TABLE jobkit_job_events ADD COLUMN actor TEXT;
ALTER TABLE jobkit_jobs ADD COLUMN created_by TEXT;

CREATE TABLE jobkit_api_keys (
  id           TEXT   NOT NULL PRIMARY KEY,
  name         TEXT   NOT NULL,
  role         TEXT   NOT NULL,
  secret_hash  TEXT   NOT NULL,
  created_at   BIGINT NOT NULL,
  created_by   TEXT,
  last_used_at BIGINT NOT NULL DEFAULT 0,
  revoked_at   BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX jobkit_api_keys_active_name ON jobkit_api_keys (name) WHERE revoked_at = 0;

-- Searching error text (JobQuery.text) reads only the jobs that have an error, newest first.
CREATE INDEX jobkit_jobs_error ON jobkit_jobs (id) WHERE error IS NOT NULL;
