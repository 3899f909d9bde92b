package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.Durability;
import dev.jobkit.runtime.internal.store.StorageException;
import dev.jobkit.runtime.internal.store.StorageInfo;
import dev.jobkit.runtime.internal.store.VacuumMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.conf.StatementType;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The two connections to one SQLite file: one writer, since SQLite has one writer per file and a
 * second in-process writer would only wait on the first, and one reader, which under WAL reads the
 * last committed state without blocking the writer.
 *
 * <p>{@link #write} runs each call as its own {@code BEGIN IMMEDIATE} transaction under a lock, or,
 * with {@link SqliteOptions#groupCommit()}, hands it to {@link GroupCommit}'s writer thread, which
 * commits concurrent calls together. Callers cannot tell the difference.
 */
final class SqliteDatabase implements Database, GroupCommit.Writer {
  private static final Logger log = LoggerFactory.getLogger(SqliteDatabase.class);

  private final Path file;
  private final SqliteOptions options;
  private final Settings settings;

  /**
   * The writer connection and jOOQ on it. Replaced (only under the write lock, or on the group
   * writer thread) when a failed transaction could not be rolled back on it.
   */
  private volatile Connection writer;

  private volatile DSLContext writeCtx;
  private final Connection reader;
  private final DSLContext readCtx;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ReentrantLock readLock = new ReentrantLock();
  private final GroupCommit group; // null when group commit is off
  private final Checkpointer checkpointer;

  /** BEGIN IMMEDIATE, COMMIT and ROLLBACK, prepared once on the writer: preparing costs more. */
  private PreparedStatement begin;

  private PreparedStatement commit;
  private PreparedStatement rollback;

  /** Statements prepared once on the writer connection; used only inside write transactions. */
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  private SqliteDatabase(Path file, SqliteOptions options, Connection writer, Connection reader) {
    this.file = file;
    this.options = options;
    this.writer = writer;
    this.reader = reader;
    this.settings =
        new Settings()
            .withStatementType(StatementType.PREPARED_STATEMENT)
            .withExecuteLogging(false)
            .withRenderSchema(false);
    this.writeCtx = DSL.using(writer, SQLDialect.SQLITE, settings);
    this.readCtx = DSL.using(reader, SQLDialect.SQLITE, settings);
    this.group =
        options.groupCommit()
            ? new GroupCommit(
                file,
                this,
                r -> {
                  Thread t = new Thread(r, "jobkit-sqlite-writer " + file.getFileName());
                  t.setDaemon(true);
                  return t;
                })
            : null;
    this.checkpointer = new Checkpointer(); // last: its thread starts at once
  }

  /** Opens {@code file}, creating it if absent (unless told not to), and migrates it. */
  static SqliteDatabase open(Path file, SqliteOptions options, Clock clock) {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw SqliteErrors.directoryMissing(file, null);
    }
    if (!options.createIfMissing() && !Files.exists(abs)) {
      throw new StorageException(
          StorageException.Reason.MISSING,
          "No job database at " + abs + "; open it once with a manager that may create it",
          null);
    }
    // Checked up front because SQLite reports a read-only file lazily and sometimes only as an
    // I/O error. (Root can write anyway, so this check cannot fire for root.)
    if (Files.exists(abs) && !Files.isWritable(abs)) {
      throw SqliteErrors.readOnly(file, null);
    }
    Connection writer = null;
    Connection reader = null;
    try {
      if (options.createIfMissing()) {
        createIfNew(abs);
      }
      writer = connect(abs, options, false);
      if (options.createIfMissing()) {
        incrementalIfNew(writer);
      }
      Migrations.migrate(Dialect.SQLITE, writer, null, abs.toString(), clock.millis(), true);
      reader = connect(abs, options, true);
      return new SqliteDatabase(file, options, writer, reader);
    } catch (SQLException | DataAccessException e) {
      closeQuietly(writer, e);
      closeQuietly(reader, e);
      throw SqliteErrors.translate(file, e);
    } catch (RuntimeException e) {
      closeQuietly(writer, e);
      closeQuietly(reader, e);
      throw e;
    }
  }

  /**
   * Bytes of WAL after which the writer checkpoints itself, at the end of a commit (see {@link
   * #connect}). Normally the {@link Checkpointer} has copied the WAL long before; this bounds the
   * WAL when it cannot keep up, or when a long read holds it back.
   */
  static final int WAL_CHECKPOINT_BYTES = 64 << 20;

  /** How often the {@link Checkpointer} copies the WAL into the file. */
  static final long CHECKPOINT_INTERVAL_MS = 200;

  private static Connection connect(Path file, SqliteOptions options, boolean readOnly)
      throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(
        options.durability() == Durability.FULL
            ? SQLiteConfig.SynchronousMode.FULL
            : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout((int) options.busyTimeout().toMillis());
    config.enforceForeignKeys(true);
    Connection c = config.createConnection("jdbc:sqlite:" + file);
    try (Statement s = c.createStatement()) {
      // Touch the file so a non-database fails here with SQLITE_NOTADB, not on first use.
      s.execute("SELECT count(*) FROM sqlite_master");
      if (readOnly) {
        s.execute("PRAGMA query_only = 1");
      } else {
        // The Checkpointer copies the WAL into the file on a thread of its own; the writer only
        // checkpoints itself past WAL_CHECKPOINT_BYTES (SQLite's default is every 1000 pages).
        // A checkpoint syncs the file, and on the writer that stalled the commit it ended: with
        // the default, a dispatch stalled every ~200 dispatches; past 16 MiB, every dispatchAll
        // of 40,000 jobs lost about a fifth of its time to it.
        long pageSize;
        try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
          rs.next();
          pageSize = rs.getLong(1);
        }
        s.execute("PRAGMA wal_autocheckpoint = " + WAL_CHECKPOINT_BYTES / pageSize);
      }
    } catch (SQLException e) {
      closeQuietly(c, e);
      throw e;
    }
    return c;
  }

  /** The group-commit writer, or null when off (tests). */
  GroupCommit groupCommit() {
    return group;
  }

  /** The database file. */
  Path file() {
    return file;
  }

  @Override
  public StorageInfo storageInfo() {
    long[] pragmas =
        read(
            (ctx, c) ->
                new long[] {
                  ((Number) ctx.fetchValue("PRAGMA page_size")).longValue(),
                  ((Number) ctx.fetchValue("PRAGMA page_count")).longValue(),
                  ((Number) ctx.fetchValue("PRAGMA freelist_count")).longValue()
                });
    return new StorageInfo(
        file.toString(),
        sizeOf(file),
        pragmas[0],
        pragmas[1],
        pragmas[2],
        sizeOf(file.resolveSibling(file.getFileName() + "-wal")));
  }

  private static long sizeOf(Path p) {
    try {
      return Files.exists(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      // Size is informational; a file vanishing between exists and size (checkpoint) is not an
      // error.
      return 0;
    }
  }

  @Override
  public String location() {
    return file.toString();
  }

  @Override
  public <T> T prepared(Connection c, String sql, StatementWork<T> work) throws SQLException {
    if (c != writer) {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        return work.run(ps);
      }
    }
    PreparedStatement ps = prepared.get(sql);
    if (ps == null) {
      ps = writer.prepareStatement(sql);
      prepared.put(sql, ps);
    } else {
      ps.clearBatch(); // in case an earlier transaction failed half-way through a batch
      ps.clearParameters();
    }
    return work.run(ps);
  }

  /**
   * Runs {@code work} in one write transaction and commits it; rolls back and rethrows if it
   * throws. SQL failures become {@link StorageException}s.
   */
  @Override
  public <T> T write(Work<T> work) {
    if (group != null) {
      return group.submit(work);
    }
    writeLock.lock();
    try {
      if (begin == null) {
        begin = writer.prepareStatement("BEGIN IMMEDIATE");
        commit = writer.prepareStatement("COMMIT");
        rollback = writer.prepareStatement("ROLLBACK");
      }
      // IMMEDIATE takes the write lock at BEGIN, so a transaction never fails half-way trying to
      // upgrade a read lock held while another process wrote (SQLITE_BUSY_SNAPSHOT).
      try {
        begin.execute();
      } catch (SQLException e) {
        reset(e); // busy, usually; but never leave a broken statement or an open transaction
        throw e;
      }
      T result;
      try {
        result = work.run(writeCtx, writer);
        commit.execute();
      } catch (SQLException | RuntimeException | Error e) {
        // Also after a failed COMMIT, which may leave the transaction open on this connection.
        rollbackAfter(e);
        throw e;
      }
      return result;
    } catch (SQLException | DataAccessException e) {
      throw SqliteErrors.translate(file, e);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public Connection connection() {
    return writer;
  }

  @Override
  public DSLContext ctx() {
    return writeCtx;
  }

  /**
   * Ends whatever a failed write left behind on the writer connection, so that the file's write
   * lock is released and the next write starts clean. A plain failure is rolled back with the
   * prepared ROLLBACK. When that fails (a full disk or an I/O error may have rolled back already,
   * or left the cached statements unusable), the cached statements are closed, ROLLBACK is tried
   * once more, and a probe checks that no transaction is open; if one still is, the writer
   * connection is closed (which releases its locks) and opened again. Failures of these steps are
   * added to {@code failure} as suppressed; none replaces it.
   */
  @Override
  public void rollbackAfter(Throwable failure) {
    try {
      if (rollback != null) {
        rollback.execute();
        return;
      }
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
    reset(failure);
  }

  /**
   * Closes the cached statements, rolls back whatever is open, and reopens the writer connection if
   * a transaction is still open on it after that.
   */
  private void reset(Throwable failure) {
    closePrepared(failure);
    try (Statement s = writer.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException e) {
      // Usually "no transaction is active": SQLite rolled back by itself. The probe decides.
    }
    if (!inTransaction()) {
      return;
    }
    log.warn("The writer connection to {} stayed inside a failed transaction; reopening it", file);
    Connection old = writer;
    closeQuietly(old, failure);
    try {
      writer = connect(file.toAbsolutePath(), options, false);
      writeCtx = DSL.using(writer, SQLDialect.SQLITE, settings);
    } catch (SQLException e) {
      failure.addSuppressed(e);
      // The closed connection stays; each later write fails on it and comes here to try again.
    }
  }

  /**
   * Whether the writer connection is inside a transaction (SQLite's {@code sqlite3_get_autocommit}
   * is false), probed with a deferred BEGIN, which fails only inside a transaction and takes no
   * lock. A connection that cannot even run the probe counts as inside one.
   */
  boolean inTransaction() {
    try (Statement s = writer.createStatement()) {
      s.execute("BEGIN");
      s.execute("ROLLBACK");
      return false;
    } catch (SQLException e) {
      return true;
    }
  }

  /** Closes the cached statements of the writer; the next write prepares them again. */
  private void closePrepared(Throwable failure) {
    List<PreparedStatement> all = new ArrayList<>(prepared.values());
    prepared.clear();
    for (PreparedStatement ps : new PreparedStatement[] {begin, commit, rollback}) {
      if (ps != null) {
        all.add(ps);
      }
    }
    begin = null;
    commit = null;
    rollback = null;
    for (PreparedStatement ps : all) {
      try {
        ps.close();
      } catch (SQLException e) {
        failure.addSuppressed(e);
      }
    }
  }

  /** Runs {@code work} on the read connection. */
  @Override
  public <T> T read(Work<T> work) {
    readLock.lock();
    try {
      return work.run(readCtx, reader);
    } catch (SQLException | DataAccessException e) {
      throw SqliteErrors.translate(file, e);
    } finally {
      readLock.unlock();
    }
  }

  private static void closeQuietly(Connection c, Throwable original) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      original.addSuppressed(e);
    }
  }

  /**
   * The page size of a new file. A commit writes each page it changed to the WAL whole, and a
   * dispatch changes one leaf of the jobs table and of each of its indexes: with 2 KiB pages a
   * single dispatch writes about 14 KiB instead of 24 KiB (issue #10). Rows up to about 2 KiB still
   * fit in a leaf; larger states spill into overflow pages, which costs their writes nothing in
   * bytes. A file keeps the page size it was created with.
   */
  static final int NEW_FILE_PAGE_SIZE = 2048;

  /**
   * Creates {@code file} with {@link #NEW_FILE_PAGE_SIZE} and incremental auto-vacuum if it does
   * not exist or is empty. Both only take effect before the file's first table, and the page size
   * only before the file is in WAL mode, so this runs on a connection of its own before {@link
   * #connect} turns WAL on. If another process creates the file at the same time, the pragmas do
   * nothing on whichever connection comes second.
   */
  private static void createIfNew(Path file) throws SQLException {
    try {
      if (Files.exists(file) && Files.size(file) > 0) {
        return;
      }
    } catch (IOException e) {
      return; // connect() reports what is wrong with the file
    }
    try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA page_size = " + NEW_FILE_PAGE_SIZE);
      s.execute("PRAGMA auto_vacuum = INCREMENTAL");
      s.execute("PRAGMA journal_mode = WAL");
    }
  }

  // ---- #16 compaction ----

  /**
   * Gives a new file (no tables yet) {@code auto_vacuum = INCREMENTAL}, so that retention can give
   * freed pages back to the file system. The pragma only takes effect before the first table, and
   * once the file has its WAL header only through a VACUUM, which is instant on an empty file.
   */
  private static void incrementalIfNew(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT (SELECT count(*) FROM sqlite_master) > 0 OR auto_vacuum = 2"
                  + " FROM pragma_auto_vacuum")) {
        rs.next();
        if (rs.getBoolean(1)) {
          return; // has tables, or createIfNew made it incremental already
        }
      }
      s.execute("PRAGMA auto_vacuum = INCREMENTAL");
      s.execute("VACUUM");
    }
  }

  @Override
  public VacuumMode vacuumMode() {
    long mode =
        read(
            (ctx, c) -> {
              // The pragma answers from the connection's cache; a read refreshes it from the file,
              // which another connection's VACUUM may have changed.
              ctx.fetchValue("SELECT count(*) FROM sqlite_master");
              return ((Number) ctx.fetchValue("PRAGMA auto_vacuum")).longValue();
            });
    return mode == 2 ? VacuumMode.INCREMENTAL : mode == 1 ? VacuumMode.FULL : VacuumMode.NONE;
  }

  /**
   * One {@code PRAGMA incremental_vacuum(pages)} in its own short write transaction. When it frees
   * fewer pages than asked (the free list is empty), a passive checkpoint follows, so that the file
   * itself shrinks now rather than at the next automatic checkpoint.
   */
  @Override
  public long incrementalVacuum(int pages) {
    long freed =
        write(
            (ctx, c) -> {
              long before = freePages(c);
              try (Statement s = c.createStatement()) {
                // executeUpdate steps the pragma to its end; execute() frees one page only.
                s.executeUpdate("PRAGMA incremental_vacuum(" + pages + ")");
              }
              return before - freePages(c);
            });
    if (freed < pages) {
      onSideConnection("PRAGMA wal_checkpoint(PASSIVE)");
    }
    return freed;
  }

  @Override
  public void checkpointLog() {
    onSideConnection("PRAGMA wal_checkpoint(PASSIVE)");
  }

  private static long freePages(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA freelist_count")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * {@code VACUUM} with {@code auto_vacuum = INCREMENTAL}: rewrites the whole file, holding its
   * write lock meanwhile (writers of other processes wait up to their busy timeout). Run on a
   * connection of its own, since VACUUM cannot run inside the writer's transactions; this process's
   * other writes wait on the write lock (without group commit) or on the file's lock.
   */
  @Override
  public void enableIncrementalVacuum() {
    if (vacuumMode() == VacuumMode.INCREMENTAL) {
      return;
    }
    long t0 = System.nanoTime();
    if (group == null) {
      writeLock.lock();
    }
    try {
      onSideConnection(
          "PRAGMA auto_vacuum = INCREMENTAL", "VACUUM", "PRAGMA wal_checkpoint(PASSIVE)");
    } finally {
      if (group == null) {
        writeLock.unlock();
      }
    }
    log.info(
        "Switched {} to incremental vacuum with one VACUUM in {} ms",
        file,
        (System.nanoTime() - t0) / 1_000_000);
  }

  /** Runs {@code sql} on a short-lived connection of its own to the file. */
  private void onSideConnection(String... sql) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout((int) options.busyTimeout().toMillis());
    try (Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    } catch (SQLException e) {
      throw SqliteErrors.translate(file, e);
    }
  }

  // ---- end #16 compaction ----

  /**
   * Copies the WAL into the database file every {@link #CHECKPOINT_INTERVAL_MS}, on a connection
   * and a daemon thread of its own, so that the file's sync does not stall a commit: a {@code
   * PASSIVE} checkpoint neither waits for nor blocks the writer, which keeps appending to the WAL
   * meanwhile. When there is nothing to copy it reads the WAL's header and does no I/O. Once every
   * frame is copied, the writer's next transaction starts the WAL from its beginning again.
   */
  private final class Checkpointer implements Runnable {
    private final Thread thread;
    private volatile boolean stopped;
    private Connection connection; // the checkpoint thread's only

    Checkpointer() {
      thread = new Thread(this, "jobkit-sqlite-checkpoint " + file.getFileName());
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void run() {
      long failures = 0;
      while (!stopped) {
        LockSupport.parkNanos(CHECKPOINT_INTERVAL_MS * 1_000_000);
        if (stopped) {
          break;
        }
        try {
          if (connection == null) {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(0); // a checkpoint that would wait is simply tried again later
            connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
          }
          try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
          }
          failures = 0;
        } catch (SQLException e) {
          // Not a warning: the writer's own checkpoint (WAL_CHECKPOINT_BYTES) still bounds the
          // WAL, and what stops this one (a full disk, say) fails the writer's commits too, which
          // report it.
          if (failures++ == 0) {
            log.debug(
                "Background checkpoint of {} failed, will retry: {}",
                file,
                SqliteErrors.translate(file, e).getMessage());
          }
          closeQuietly(connection, e);
          connection = null;
        }
      }
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException e) {
          log.debug("Closing the checkpoint connection of {} failed", file, e);
        }
      }
    }

    /** Stops the thread and waits until it closed its connection. */
    void stop() {
      stopped = true;
      LockSupport.unpark(thread);
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    checkpointer.stop(); // before the writer's last checkpoint, when it closes
    if (group != null) {
      group.close(); // commits what is queued before the connection goes
    }
    writeLock.lock();
    readLock.lock();
    try {
      SQLException first = null;
      for (Connection c : new Connection[] {reader, writer}) {
        try {
          c.close();
        } catch (SQLException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
      if (first != null) {
        throw SqliteErrors.translate(file, first);
      }
    } finally {
      readLock.unlock();
      writeLock.unlock();
    }
  }
}
