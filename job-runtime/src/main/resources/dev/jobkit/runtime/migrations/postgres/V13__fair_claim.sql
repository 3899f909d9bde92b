-- jobkit schema version 13 (both dialects, same shape; see sqlite/V13__fair_claim.sql): fair claiming
-- across tenants (#14).
--
-- The claim index of jobs without limits gets the tenant after the queue. A claim reads each
-- tenant's due jobs in claim order (priority, run-at, id) with "queue = ? AND tenant = ?", so a
-- queue that has one tenant (every single-tenant installation) still reads one range of the index
-- in claim order, as before. The tenants that have claimable jobs in a queue are found by a loose
-- index scan over the same index (one seek per tenant), see docs/tenancy.md "Fair claiming".
-- The limited phase keeps jobkit_jobs_limited as it is.
DROP INDEX jobkit_jobs_claim;
CREATE INDEX jobkit_jobs_claim ON jobkit_jobs (queue, tenant, priority DESC, run_at, id)
  WHERE limit_keys IS NULL AND status IN ('QUEUED', 'SCHEDULED', 'WAITING_RETRY');
