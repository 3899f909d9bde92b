-- jobkit schema version 8 (both dialects, same shape; see sqlite/V8__dependencies.sql):
-- dependencies between jobs (#12).
--
-- * jobkit_jobs.has_children: set when a job gets its first child, so that completing a job without
--   children costs nothing more (the completion's UPDATE says whether the job had children).
-- * jobkit_job_deps: one row per edge, child -> parent. position is the parent's place in the
--   child's list (fan-in outputs come back in that order); on_failure is the edge's policy when the
--   parent ends FAILED, CANCELLED or TIMED_OUT (CANCEL, FAIL, RUN_ANYWAY); state is WAITING (the
--   parent has not ended), DONE (it completed), PARENT_FAILED (it failed and the policy let the
--   child run anyway) or ENDED_CHILD (its failure ended the child; retrying the parent re-arms it).
--   A child waits while any of its edges is WAITING or ENDED_CHILD. The parent has no foreign key:
--   the edge, and with it the child's list of parents, outlives a parent that retention deleted.
ALTER TABLE jobkit_jobs ADD COLUMN has_children BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE jobkit_job_deps (
  child_id   TEXT    NOT NULL REFERENCES jobkit_jobs (id) ON DELETE CASCADE,
  parent_id  TEXT    NOT NULL,
  position   INTEGER NOT NULL,
  on_failure TEXT    NOT NULL,
  state      TEXT    NOT NULL,
  PRIMARY KEY (child_id, parent_id)
);
CREATE INDEX jobkit_job_deps_parent ON jobkit_job_deps (parent_id, child_id);
