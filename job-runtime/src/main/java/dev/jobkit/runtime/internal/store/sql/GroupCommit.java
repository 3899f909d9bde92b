package dev.jobkit.runtime.internal.store.sql;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * One writer thread that drains queued writes into a single transaction and completes each caller's
 * future after the COMMIT, so concurrent writers share one commit (and, under FULL durability, one
 * fsync).
 *
 * <p>Each write runs inside its own SAVEPOINT, so one write that throws is rolled back alone and
 * fails only its own caller; the others still commit. A failed COMMIT fails every caller of the
 * batch: none of their writes happened.
 */
final class GroupCommit implements AutoCloseable {
  /**
   * Upper bound on writes per transaction, so one huge burst cannot delay its first caller long.
   */
  private static final int MAX_BATCH = 256;

  /** The connection this thread writes on, and how to clean it up after a failed transaction. */
  interface Writer {
    /** The writer connection (it may be replaced after {@link #rollbackAfter}). */
    Connection connection();

    /** jOOQ on {@link #connection()}. */
    DSLContext ctx();

    /**
     * Rolls back whatever a failed transaction left open, so that the file's write lock is
     * released; failures of the cleanup are added to {@code failure} as suppressed.
     */
    void rollbackAfter(Throwable failure);
  }

  private final Path file;
  private final Writer writer;
  private final BlockingQueue<Request<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private boolean closed; // guarded by this
  private volatile long commits;

  private static final class Request<T> {
    final Database.Work<T> work;
    final CompletableFuture<T> future = new CompletableFuture<>();
    T result;
    Throwable failure;

    Request(Database.Work<T> work) {
      this.work = work;
    }

    void run(DSLContext ctx, Connection c) throws SQLException {
      result = work.run(ctx, c);
    }

    void complete() {
      if (failure != null) {
        future.completeExceptionally(failure);
      } else {
        future.complete(result);
      }
    }
  }

  /** Marks the end of the queue; nothing is enqueued after it. */
  private static final Request<Void> STOP = new Request<>((ctx, c) -> null);

  GroupCommit(Path file, Writer writer, ThreadFactory threads) {
    this.file = file;
    this.writer = writer;
    this.thread = threads.newThread(this::loop);
    thread.start();
  }

  /** Runs {@code work} in the next group transaction and returns after it committed. */
  <T> T submit(Database.Work<T> work) {
    Request<T> r = new Request<>(work);
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("Job database " + file + " is closed");
      }
      queue.add(r);
    }
    // Waiting is uninterruptible: once queued, the write may commit, and a caller told otherwise
    // (a worker's fenced write, a dispatch) would act on a false belief.
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return r.future.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof RuntimeException) {
            throw (RuntimeException) c;
          }
          if (c instanceof Error) {
            throw (Error) c;
          }
          throw new IllegalStateException(c);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    List<Request<?>> batch = new ArrayList<>(MAX_BATCH);
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        // Only close() stops this thread, through STOP; an interrupt from elsewhere is ignored.
        continue;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      if (batch.remove(STOP)) {
        stop = true; // STOP is the last element ever queued, so the batch holds everything else
      }
      if (!batch.isEmpty()) {
        commit(batch);
      }
      batch.clear();
    }
  }

  private void commit(List<Request<?>> batch) {
    Connection connection = writer.connection();
    DSLContext ctx = writer.ctx();
    try (Statement s = connection.createStatement()) {
      try {
        s.execute("BEGIN IMMEDIATE");
      } catch (SQLException e) {
        writer.rollbackAfter(e); // busy, usually; but never leave a transaction open
        throw e;
      }
      try {
        for (Request<?> r : batch) {
          s.execute("SAVEPOINT w");
          try {
            r.run(ctx, connection);
            s.execute("RELEASE w");
          } catch (SQLException | RuntimeException | Error e) {
            try {
              s.execute("ROLLBACK TO w");
              s.execute("RELEASE w");
            } catch (SQLException gone) {
              // A full disk, an I/O error or a busy lock rolled back the whole transaction
              // ("no such savepoint"): the writes before this one are gone too, so the whole
              // batch fails with this write's error.
              e.addSuppressed(gone);
              throw e;
            }
            r.failure =
                e instanceof DataAccessException || e instanceof SQLException
                    ? SqliteErrors.translate(file, e)
                    : e;
          }
        }
        s.execute("COMMIT");
        commits++; // only this thread writes it
      } catch (SQLException | RuntimeException | Error e) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException r) {
          // SQLite may have rolled back already, or the connection is broken: checked below.
          e.addSuppressed(r);
          writer.rollbackAfter(e);
        }
        throw e;
      }
      batch.forEach(Request::complete);
    } catch (SQLException | RuntimeException | Error e) {
      Throwable failure =
          e instanceof DataAccessException || e instanceof SQLException
              ? SqliteErrors.translate(file, e)
              : e;
      for (Request<?> r : batch) {
        r.future.completeExceptionally(failure);
      }
    }
  }

  /** Writes waiting for the writer thread (tests). */
  int pending() {
    return queue.size();
  }

  /** Transactions committed so far (tests). */
  long commits() {
    return commits;
  }

  /** Commits everything queued so far, then stops the writer thread. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(STOP);
    }
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
