package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.Completion;
import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.LeaseState;
import dev.jobkit.runtime.internal.store.NewJob;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SelectForUpdateStep;
import org.jooq.Table;

/**
 * What really differs between the databases, and nothing else: how a claim takes jobs without two
 * claimers getting the same one, how leases are renewed and completions written in bulk, which rows
 * a statement locks, how other nodes hear of new work, and how migrations are serialized.
 * Everything else is {@link SqlJobStore}'s, written once.
 *
 * <p>Each method runs inside the transaction of the store method that calls it.
 */
abstract class Dialect {
  static final Dialect SQLITE = new SqliteDialect();
  static final Dialect POSTGRES = new PostgresDialect();

  // ---- the store

  /**
   * Claims up to {@code request.limit()} due jobs, as {@link
   * dev.jobkit.runtime.internal.store.JobStore#claim} says: each becomes RUNNING with a new epoch,
   * one more attempt and a STATUS_CHANGED event.
   */
  abstract List<ClaimedJob> claim(SqlJobStore store, Connection c, ClaimRequest request)
      throws SQLException;

  /** Extends the leases of {@code owner}'s RUNNING jobs; returns those held, by id. */
  abstract List<LeaseState> renewLeases(
      SqlJobStore store, DSLContext ctx, Connection c, String owner, long leaseExpiresAt)
      throws SQLException;

  /**
   * Completes the jobs still held under their epochs; returns their ids in input order, and adds to
   * {@code withChildren} those that have children (#12 dependencies), learnt from the completing
   * statement itself so that jobs without children cost no extra statement.
   */
  abstract List<String> completeAll(
      SqlJobStore store,
      Connection c,
      List<Completion> completions,
      long now,
      Set<String> withChildren)
      throws SQLException;

  /**
   * Inserts one job in a way cheaper than the general batch path, or returns null to use that path.
   * Must behave exactly as {@link dev.jobkit.runtime.internal.store.JobStore#insert}.
   */
  InsertResult insertOne(SqlJobStore store, NewJob job, long now) {
    return null;
  }

  /**
   * Inserts the rows of {@code jobs} in the caller's transaction, a key that is stored already
   * inserting nothing; returns which were inserted. Jobs whose ids are in {@code waiting} are
   * inserted WAITING (children of a graph); the others QUEUED or SCHEDULED by their run-at. The
   * default is one JDBC batch.
   */
  boolean[] insertRows(
      SqlJobStore store, Connection c, List<NewJob> jobs, long now, Set<String> waiting)
      throws SQLException {
    return store.insertBatch(c, jobs, now, waiting);
  }

  /** Locks the selected job rows until the transaction ends, for a control call. */
  abstract <R extends Record> ResultQuery<R> forUpdate(SelectForUpdateStep<R> select);

  /** As {@link #forUpdate}, skipping rows another transaction holds (recovery). */
  abstract <R extends Record> ResultQuery<R> forUpdateSkipLocked(SelectForUpdateStep<R> select);

  /** Holds the selected rows against updates until the transaction ends, without blocking reads. */
  abstract <R extends Record> ResultQuery<R> forShare(SelectForUpdateStep<R> select);

  /** Tells idle workers on other nodes, on commit, that jobs became due in {@code queues}. */
  void jobsDue(Connection c, Set<String> queues) throws SQLException {}

  /** Tells the node running job {@code id}, on commit, that a cancel or pause was requested. */
  void controlRequested(Connection c, String id) throws SQLException {}

  // ---- migrations

  /** Where this dialect's migration scripts are, as a class-path resource folder. */
  abstract String migrationsRoot();

  /** This dialect's scripts, in {@link Migrations#latestVersion()} order. */
  abstract List<String> scripts();

  /** Opens the migration's transaction and makes it the only one migrating this database. */
  abstract void beginMigration(Connection c, String schema) throws SQLException;

  /** Commits (or, when {@code ok} is false, rolls back) what {@link #beginMigration} opened. */
  abstract void endMigration(Connection c, boolean ok) throws SQLException;

  /** The schema version of the database, 0 when it has no jobkit tables. */
  abstract int schemaVersion(Connection c, String schema) throws SQLException;

  /** Prepares for running scripts: the schema, the search path, the version table. */
  abstract void beforeScripts(Connection c, String schema) throws SQLException;

  /** The database, in words, for messages. */
  abstract String describe(String schema, String location);

  // ---- copying rows with their ids (issue #16: import and migration, see SqlTransfer)

  /**
   * What an INSERT that names the event and log ids says after its column list: PostgreSQL's ids
   * are {@code GENERATED ALWAYS AS IDENTITY}, which refuses a given value without it.
   */
  String overridingIds() {
    return "";
  }

  /**
   * After events or log lines were inserted with their own ids: moves the id generators past them.
   * SQLite's {@code INTEGER PRIMARY KEY} takes {@code max(id) + 1} by itself.
   */
  void idsInserted(Connection c, Tables t) throws SQLException {}

  // ---- #16 retention ----

  /**
   * The jobs table to read finished jobs from in {@code finished_at} order: SQLite is told to walk
   * {@code jobkit_jobs_finished}, since its planner otherwise reads every job of the statuses asked
   * for through {@code jobkit_jobs_status_id} and sorts them.
   */
  Table<Record> jobsByFinishedAt(Tables t) {
    return t.jobs;
  }

  // ---- end #16 retention ----

  // ---- #12 limits (SqlLimits) ----

  /** What the limited claim's candidate query ends with, to lock the rows it returns. */
  String limitCandidatesLock() {
    return "";
  }

  /**
   * What the query of {@code jobkit_limits} rows ends with, to lock them; {@code wait} false skips
   * rows held by another transaction instead of waiting.
   */
  String limitRowsLock(boolean wait) {
    return "";
  }

  /**
   * Whether the limited claim writes its update, events and rate states in one statement over
   * arrays (PostgreSQL: one round trip) rather than as JDBC batches.
   */
  boolean limitWritesInOneStatement() {
    return false;
  }

  /** The function that gives the position of a substring, 0 when absent (case-sensitive). */
  String limitContainsFunction() {
    return "instr";
  }
}
