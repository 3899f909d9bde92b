-- jobkit schema version 3: the RUNNING set is small (at most the workers of all processes, plus
-- what they claimed ahead), so lease renewal, recovery and owner lookups find it through
-- jobs_status_id; the two partial indexes cost four B-tree writes per job for nothing.
DROP INDEX jobs_running_lease;
DROP INDEX jobs_running_owner;
