-- jobkit schema version 2: a retry backoff per dispatch (0 = the manager's default).
ALTER TABLE jobs ADD COLUMN backoff_ms INTEGER NOT NULL DEFAULT 0;
