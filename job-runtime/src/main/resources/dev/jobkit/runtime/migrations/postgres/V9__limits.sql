-- jobkit schema version 9 (both dialects, same shape; see sqlite/V9__limits.sql):
-- concurrency and rate limits (#12), global across the nodes that share the database.
--
-- * jobkit_jobs.limit_keys: the limit keys of a limited job, as ',deploy[host=db1],queue:mail,'
--   (written at dispatch); NULL for a job without limits, which the claim takes as before.
-- * jobkit_limits: one row per key: its concurrency (max_running, 0 = none) and its rate
--   (rate_count starts per rate_period_ms, up to burst at once; rate_count 0 = none), and the rate's
--   state as a theoretical arrival time in microseconds (GCRA, a token bucket in one number).
--   A claim locks the rows of its candidates' keys, counts the RUNNING jobs of each key and takes
--   a job only when all of its keys have room (see docs/limits.md).
ALTER TABLE jobkit_jobs ADD COLUMN limit_keys TEXT;

CREATE TABLE jobkit_limits (
  limit_key      TEXT    NOT NULL PRIMARY KEY,
  max_running    INTEGER NOT NULL,
  rate_count     INTEGER NOT NULL,
  rate_period_ms BIGINT  NOT NULL,
  burst          INTEGER NOT NULL,
  rate_tat_us    BIGINT  NOT NULL,
  updated_at     BIGINT  NOT NULL
);

-- The claim index splits in two: jobs without limits (the claim of before, which now says
-- "limit_keys IS NULL", so that it never walks over waiting limited jobs) and limited jobs (the
-- claim's limited phase). Each job is in one of them, as each was in jobkit_jobs_claim before.
DROP INDEX jobkit_jobs_claim;
CREATE INDEX jobkit_jobs_claim ON jobkit_jobs (queue, priority DESC, run_at, id)
  WHERE limit_keys IS NULL AND status IN ('QUEUED', 'SCHEDULED', 'WAITING_RETRY');
-- Due limited jobs, in claim order (the claim's limited phase).
CREATE INDEX jobkit_jobs_limited ON jobkit_jobs (queue, priority DESC, run_at, id)
  WHERE limit_keys IS NOT NULL AND status IN ('QUEUED', 'SCHEDULED', 'WAITING_RETRY');
-- Running limited jobs (few: at most the workers of all nodes), counted per key at each claim.
CREATE INDEX jobkit_jobs_limited_running ON jobkit_jobs (limit_keys)
  WHERE status = 'RUNNING' AND limit_keys IS NOT NULL;
