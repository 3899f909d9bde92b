-- jobkit schema version 12 (both dialects, same shape; see postgres/V12__tenants.sql): tenants (#14).
--
-- * tenant columns: every job, schedule, template and batch belongs to one tenant; rows written
--   before this version belong to 'default', the tenant of everything dispatched without one. A
--   constant default, so neither database rewrites a row. An API key's tenant is NULL when the key
--   may act for every tenant (keys made before this version, and administrators' keys).
-- * jobkit_jobs_tenant: listing one tenant's jobs, newest first. Partial, so jobs of the default
--   tenant (all jobs of a single-tenant installation) cost nothing more on insert; queries for
--   another tenant repeat the predicate.
-- * jobkit_tenants: one row per tenant that has settings: its weight in fair claiming and its
--   quotas (0 = none). submit_tat_us is the state of the submission rate (GCRA, a token bucket in
--   one number, as in jobkit_limits). A tenant without a row has weight 1 and no quotas.
-- * jobkit_audit: who did what. Ids are time-sortable text made by the runtime; tenant is the
--   tenant of what was acted on (NULL for actions outside any tenant, such as creating an
--   administrator's key); actor is who asked (key:NAME, cli:USER, ...).
ALTER TABLE jobkit_jobs ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE jobkit_schedules ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE jobkit_templates ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE jobkit_batches ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE jobkit_api_keys ADD COLUMN tenant TEXT;

CREATE INDEX jobkit_jobs_tenant ON jobkit_jobs (tenant, id) WHERE tenant <> 'default';

CREATE TABLE jobkit_tenants (
  name             TEXT    NOT NULL PRIMARY KEY,
  weight           INTEGER NOT NULL DEFAULT 1,
  max_queued       BIGINT  NOT NULL DEFAULT 0,
  max_running      INTEGER NOT NULL DEFAULT 0,
  submit_count     INTEGER NOT NULL DEFAULT 0,
  submit_period_ms BIGINT  NOT NULL DEFAULT 0,
  submit_burst     INTEGER NOT NULL DEFAULT 0,
  submit_tat_us    BIGINT  NOT NULL DEFAULT 0,
  max_stored_bytes BIGINT  NOT NULL DEFAULT 0,
  description      TEXT,
  created_at       BIGINT  NOT NULL,
  updated_at       BIGINT  NOT NULL
);

CREATE TABLE jobkit_audit (
  id     TEXT   NOT NULL PRIMARY KEY,
  at     BIGINT NOT NULL,
  tenant TEXT,
  actor  TEXT   NOT NULL,
  action TEXT   NOT NULL,
  target TEXT,
  detail TEXT
);
CREATE INDEX jobkit_audit_tenant ON jobkit_audit (tenant, id);
