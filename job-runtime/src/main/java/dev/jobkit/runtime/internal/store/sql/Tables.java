package dev.jobkit.runtime.internal.store.sql;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.util.List;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/**
 * The one table definition of both databases (no code generation), matching the V5 migrations.
 * Columns are unqualified; tables are qualified by the PostgreSQL schema, so an instance is made
 * per store.
 */
final class Tables {
  static final String JOBS = "jobkit_jobs";
  static final String EVENTS = "jobkit_job_events";
  static final String LOGS = "jobkit_job_logs";
  static final String TAGS = "jobkit_job_tags";
  static final String NODES = "jobkit_nodes";
  static final String API_KEYS = "jobkit_api_keys";
  static final String MAINTENANCE = "jobkit_maintenance"; // #16 retention
  static final String SCHEDULES = "jobkit_schedules"; // #12 schedules
  static final String SCHEDULE_FIRES = "jobkit_schedule_fires"; // #12 schedules
  static final String TEMPLATES = "jobkit_templates"; // #12 templates
  static final String DEPS = "jobkit_job_deps"; // #12 dependencies
  static final String BATCHES = "jobkit_batches"; // #12 batches

  final Table<Record> jobs;
  final Table<Record> events;
  final Table<Record> logs;
  final Table<Record> tags;
  final Table<Record> nodes;
  final Table<Record> apiKeys;
  final Table<Record> maintenance; // #16 retention
  final Table<Record> schedules; // #12 schedules
  final Table<Record> scheduleFires; // #12 schedules
  final Table<Record> templates; // #12 templates
  final Table<Record> deps; // #12 dependencies
  final Table<Record> batches; // #12 batches

  /** Qualified names for hand-written SQL: {@code schema.jobkit_jobs}, or unqualified. */
  final String jobsSql;

  final String eventsSql;
  final String logsSql;
  final String tagsSql;
  final String apiKeysSql;

  /** Tables in {@code schema}, or unqualified when it is null (SQLite). */
  Tables(String schema) {
    this.jobs = in(schema, JOBS);
    this.events = in(schema, EVENTS);
    this.logs = in(schema, LOGS);
    this.tags = in(schema, TAGS);
    this.nodes = in(schema, NODES);
    this.apiKeys = in(schema, API_KEYS);
    this.maintenance = in(schema, MAINTENANCE);
    this.schedules = in(schema, SCHEDULES); // #12 schedules
    this.scheduleFires = in(schema, SCHEDULE_FIRES); // #12 schedules
    this.templates = in(schema, TEMPLATES); // #12 templates
    this.deps = in(schema, DEPS); // #12 dependencies
    this.batches = in(schema, BATCHES); // #12 batches
    String prefix = schema == null ? "" : schema + ".";
    this.jobsSql = prefix + JOBS;
    this.eventsSql = prefix + EVENTS;
    this.logsSql = prefix + LOGS;
    this.tagsSql = prefix + TAGS;
    this.apiKeysSql = prefix + API_KEYS;
  }

  private static Table<Record> in(String schema, String table) {
    return schema == null ? table(name(table)) : table(name(schema, table));
  }

  static final Field<String> J_ID = field(name("id"), String.class);
  static final Field<String> J_NAME = field(name("name"), String.class);
  static final Field<byte[]> J_PARAMS = field(name("params"), byte[].class);
  static final Field<byte[]> J_STATE = field(name("state"), byte[].class);
  static final Field<Long> J_STATE_VERSION = field(name("state_version"), Long.class);
  static final Field<String> J_STATUS = field(name("status"), String.class);
  static final Field<Integer> J_PRIORITY = field(name("priority"), Integer.class);
  static final Field<String> J_QUEUE = field(name("queue"), String.class);
  static final Field<Integer> J_ATTEMPTS = field(name("attempts"), Integer.class);
  static final Field<Integer> J_MAX_ATTEMPTS = field(name("max_attempts"), Integer.class);
  static final Field<Long> J_RUN_AT = field(name("run_at"), Long.class);
  static final Field<String> J_LEASE_OWNER = field(name("lease_owner"), String.class);
  static final Field<Long> J_LEASE_EXPIRES_AT = field(name("lease_expires_at"), Long.class);
  static final Field<Long> J_LEASE_EPOCH = field(name("lease_epoch"), Long.class);
  static final Field<Boolean> J_CANCEL_REQUESTED = field(name("cancel_requested"), Boolean.class);
  static final Field<Boolean> J_PAUSE_REQUESTED = field(name("pause_requested"), Boolean.class);
  static final Field<Boolean> J_RESUMED = field(name("resumed"), Boolean.class);
  static final Field<String> J_PROGRESS = field(name("progress"), String.class);
  static final Field<String> J_OUTPUT = field(name("output"), String.class);
  static final Field<String> J_ERROR = field(name("error"), String.class);
  static final Field<String> J_TAGS = field(name("tags"), String.class);
  static final Field<String> J_IDEMPOTENCY_KEY = field(name("idempotency_key"), String.class);
  static final Field<Long> J_TIMEOUT_MS = field(name("timeout_ms"), Long.class);
  static final Field<Long> J_BACKOFF_MS = field(name("backoff_ms"), Long.class);
  static final Field<Long> J_CREATED_AT = field(name("created_at"), Long.class);
  static final Field<Long> J_STARTED_AT = field(name("started_at"), Long.class);
  static final Field<Long> J_FINISHED_AT = field(name("finished_at"), Long.class);
  static final Field<Long> J_UPDATED_AT = field(name("updated_at"), Long.class);
  static final Field<String> J_CREATED_BY = field(name("created_by"), String.class);

  /** #13 tracing: the dispatching code's trace context (a JSON object of strings), or null. */
  static final Field<String> J_TRACE_CONTEXT = field(name("trace_context"), String.class);

  /** #14 tenants: the tenant a job belongs to ({@code default} when dispatched without one). */
  static final Field<String> J_TENANT = field(name("tenant"), String.class);

  /** Every column of a job, in {@link dev.jobkit.runtime.internal.store.JobRow}'s order. */
  static final List<Field<?>> J_ALL =
      List.of(
          J_ID,
          J_NAME,
          J_PARAMS,
          J_STATE,
          J_STATE_VERSION,
          J_STATUS,
          J_PRIORITY,
          J_QUEUE,
          J_ATTEMPTS,
          J_MAX_ATTEMPTS,
          J_RUN_AT,
          J_LEASE_OWNER,
          J_LEASE_EXPIRES_AT,
          J_LEASE_EPOCH,
          J_CANCEL_REQUESTED,
          J_PAUSE_REQUESTED,
          J_RESUMED,
          J_PROGRESS,
          J_OUTPUT,
          J_ERROR,
          J_TAGS,
          J_IDEMPOTENCY_KEY,
          J_TIMEOUT_MS,
          J_CREATED_AT,
          J_STARTED_AT,
          J_FINISHED_AT,
          J_UPDATED_AT,
          J_BACKOFF_MS,
          J_CREATED_BY,
          J_TENANT);

  static final Field<Long> E_ID = field(name("id"), Long.class);
  static final Field<String> E_JOB_ID = field(name("job_id"), String.class);
  static final Field<Long> E_AT = field(name("at"), Long.class);
  static final Field<String> E_TYPE = field(name("type"), String.class);
  static final Field<String> E_FROM = field(name("from_status"), String.class);
  static final Field<String> E_TO = field(name("to_status"), String.class);
  static final Field<String> E_DETAIL = field(name("detail"), String.class);
  static final Field<String> E_ACTOR = field(name("actor"), String.class);

  static final Field<Long> L_ID = field(name("id"), Long.class);
  static final Field<String> L_JOB_ID = field(name("job_id"), String.class);
  static final Field<Long> L_AT = field(name("at"), Long.class);
  static final Field<Integer> L_LEVEL = field(name("level"), Integer.class);
  static final Field<String> L_MESSAGE = field(name("message"), String.class);
  static final Field<Integer> L_ATTEMPT = field(name("attempt"), Integer.class);

  /** #13 tracing: the trace id of the attempt that wrote the line, or null. */
  static final Field<String> L_TRACE_ID = field(name("trace_id"), String.class);

  static final Field<String> T_TAG = field(name("tag"), String.class);
  static final Field<String> T_JOB_ID = field(name("job_id"), String.class);

  static final Field<String> N_ID = field(name("id"), String.class);
  static final Field<String> N_HOST = field(name("host"), String.class);
  static final Field<String> N_QUEUES = field(name("queues"), String.class);
  static final Field<Long> N_STARTED_AT = field(name("started_at"), Long.class);
  static final Field<Long> N_HEARTBEAT_AT = field(name("heartbeat_at"), Long.class);
  static final Field<Long> N_LEASE_MS = field(name("lease_ms"), Long.class);

  static final Field<String> K_ID = field(name("id"), String.class);
  static final Field<String> K_NAME = field(name("name"), String.class);
  static final Field<String> K_ROLE = field(name("role"), String.class);
  static final Field<String> K_SECRET_HASH = field(name("secret_hash"), String.class);
  static final Field<Long> K_CREATED_AT = field(name("created_at"), Long.class);
  static final Field<String> K_CREATED_BY = field(name("created_by"), String.class);
  static final Field<Long> K_LAST_USED_AT = field(name("last_used_at"), Long.class);
  static final Field<Long> K_REVOKED_AT = field(name("revoked_at"), Long.class);

  /** #14 tenants: the one tenant a key acts for, or null for every tenant. */
  static final Field<String> K_TENANT = field(name("tenant"), String.class);

  // #12 schedules
  static final Field<String> S_NAME = field(name("name"), String.class);
  static final Field<String> S_JOB_NAME = field(name("job_name"), String.class);
  static final Field<byte[]> S_PARAMS = field(name("params"), byte[].class);
  static final Field<Integer> S_PRIORITY = field(name("priority"), Integer.class);
  static final Field<String> S_QUEUE = field(name("queue"), String.class);
  static final Field<Integer> S_MAX_ATTEMPTS = field(name("max_attempts"), Integer.class);
  static final Field<Long> S_TIMEOUT_MS = field(name("timeout_ms"), Long.class);
  static final Field<String> S_TAGS = field(name("tags"), String.class);
  static final Field<String> S_CRON = field(name("cron"), String.class);
  static final Field<Long> S_INTERVAL_MS = field(name("interval_ms"), Long.class);
  static final Field<String> S_ZONE = field(name("zone"), String.class);
  static final Field<String> S_MISFIRE = field(name("misfire"), String.class);
  static final Field<Integer> S_MISFIRE_CAP = field(name("misfire_cap"), Integer.class);
  static final Field<Long> S_MISFIRE_GRACE_MS = field(name("misfire_grace_ms"), Long.class);
  static final Field<String> S_OVERLAP = field(name("overlap"), String.class);
  static final Field<String> S_FALL_BACK = field(name("fall_back"), String.class);
  static final Field<Long> S_JITTER_MS = field(name("jitter_ms"), Long.class);
  static final Field<Boolean> S_PAUSED = field(name("paused"), Boolean.class);
  static final Field<String> S_PAUSE_REASON = field(name("pause_reason"), String.class);
  static final Field<Long> S_NEXT_FIRE_AT = field(name("next_fire_at"), Long.class);
  static final Field<Long> S_PENDING_SLOT = field(name("pending_slot"), Long.class);
  static final Field<Long> S_LAST_FIRE_AT = field(name("last_fire_at"), Long.class);
  static final Field<String> S_LAST_JOB_ID = field(name("last_job_id"), String.class);
  static final Field<Boolean> S_DECLARED = field(name("declared"), Boolean.class);
  static final Field<Long> S_CREATED_AT = field(name("created_at"), Long.class);
  static final Field<String> S_CREATED_BY = field(name("created_by"), String.class);
  static final Field<Long> S_UPDATED_AT = field(name("updated_at"), Long.class);

  static final Field<String> F_ID = field(name("id"), String.class);
  static final Field<String> F_SCHEDULE = field(name("schedule"), String.class);
  static final Field<Long> F_SLOT = field(name("slot"), Long.class);
  static final Field<String> F_OUTCOME = field(name("outcome"), String.class);
  static final Field<String> F_JOB_ID = field(name("job_id"), String.class);
  static final Field<String> F_REASON = field(name("reason"), String.class);
  static final Field<Long> F_RECORDED_AT = field(name("recorded_at"), Long.class);

  // #12 dependencies
  static final Field<Boolean> J_HAS_CHILDREN = field(name("has_children"), Boolean.class);
  static final Field<String> D_CHILD_ID = field(name("child_id"), String.class);
  static final Field<String> D_PARENT_ID = field(name("parent_id"), String.class);
  static final Field<Integer> D_POSITION = field(name("position"), Integer.class);
  static final Field<String> D_ON_FAILURE = field(name("on_failure"), String.class);
  static final Field<String> D_STATE = field(name("state"), String.class);
  // end #12 dependencies

  // #12 batches (the columns of jobkit_batches are SqlBatches')
  static final Field<String> J_BATCH_ID = field(name("batch_id"), String.class);
}
