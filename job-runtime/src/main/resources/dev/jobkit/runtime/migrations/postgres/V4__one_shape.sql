-- jobkit schema version 4 for PostgreSQL: the one table shape shared with SQLite (see
-- sqlite/V4__one_shape.sql for the reasons).
--
-- * Tags: the text[] column with its GIN index becomes ',a,b,' text as on SQLite; matching goes
--   through jobkit_job_tags (tag, job_id), which only tagged jobs write to.
-- * The idempotency key's unique constraint becomes a partial unique index (no entry per NULL).
-- * The partial RUNNING indexes go: the RUNNING set is small and found through
--   jobkit_jobs_status_id, as on SQLite.
-- * Stored CREATED events go: the job row is its creation on both databases, and
--   JobStore.events derives the CREATED event from it.
CREATE TABLE jobkit_job_tags (
  tag    text COLLATE "C" NOT NULL,
  job_id text COLLATE "C" NOT NULL REFERENCES jobkit_jobs (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, job_id)
);
INSERT INTO jobkit_job_tags (tag, job_id)
  SELECT DISTINCT t, id FROM jobkit_jobs, unnest(tags) AS t WHERE tags <> '{}' AND t <> '';
CREATE INDEX jobkit_job_tags_job ON jobkit_job_tags (job_id);

DROP INDEX jobkit_jobs_tags;
ALTER TABLE jobkit_jobs ALTER COLUMN tags DROP DEFAULT;
ALTER TABLE jobkit_jobs ALTER COLUMN tags TYPE text COLLATE "C"
  USING CASE WHEN tags = '{}' THEN '' ELSE ',' || array_to_string(tags, ',') || ',' END;
ALTER TABLE jobkit_jobs ALTER COLUMN tags SET DEFAULT '';

ALTER TABLE jobkit_jobs DROP CONSTRAINT jobkit_jobs_idempotency_key_key;
CREATE UNIQUE INDEX jobkit_jobs_idempotency ON jobkit_jobs (idempotency_key)
  WHERE idempotency_key IS NOT NULL;

DROP INDEX jobkit_jobs_running_lease;
DROP INDEX jobkit_jobs_running_owner;

DELETE FROM jobkit_job_events WHERE type = 'CREATED';
