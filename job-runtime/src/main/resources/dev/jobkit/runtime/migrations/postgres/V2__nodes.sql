-- jobkit schema version 2 for PostgreSQL: worker nodes.
--
-- Every JobManager that runs workers registers here and stamps heartbeat_at on each heartbeat
-- (with the database's clock, through the node's offset to it). A node whose heartbeat is older
-- than the lease duration is dead: a surviving node requeues its running jobs and deletes its row.
-- A node that stops gracefully deletes its own row. The table is small (one row per live node), so
-- it needs no index beyond its key.
CREATE TABLE jobkit_nodes (
  id            text    COLLATE "C" NOT NULL PRIMARY KEY,
  host          text    NOT NULL,
  queues        text    NOT NULL,
  started_at    bigint  NOT NULL,
  heartbeat_at  bigint  NOT NULL,
  lease_ms      bigint  NOT NULL
);
