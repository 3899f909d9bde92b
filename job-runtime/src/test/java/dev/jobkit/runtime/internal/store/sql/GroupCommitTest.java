package dev.jobkit.runtime.internal.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jobkit.runtime.internal.store.SettableClock;
import dev.jobkit.runtime.internal.store.StorageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
  @TempDir Path dir;

  @Test
  void queuedWritesShareOneCommitAndAFailureRollsBackAlone() throws Exception {
    SqliteOptions options = SqliteOptions.defaults().withGroupCommit(true);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (SqliteDatabase db =
        SqliteDatabase.open(dir.resolve("g.db"), options, new SettableClock(0))) {
      db.write((ctx, conn) -> ctx.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)"));
      GroupCommit group = db.groupCommit();

      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch gate = new CountDownLatch(1);
      CompletableFuture<Integer> blocker =
          CompletableFuture.supplyAsync(
              () ->
                  db.write(
                      (ctx, conn) -> {
                        started.countDown();
                        await(
                            gate); // holds the writer thread so the next writes queue up behind it
                        return ctx.execute("INSERT INTO t VALUES (0)");
                      }),
              pool);
      started.await();
      long commitsBefore = group.commits();

      // Queue the writes one at a time so that w1, not its duplicate, is the one that wins.
      CompletableFuture<Integer> w1 = submit(db, pool, 1);
      awaitPending(group, 1);
      CompletableFuture<Integer> dup = submit(db, pool, 1);
      awaitPending(group, 2);
      CompletableFuture<Integer> w3 = submit(db, pool, 3);
      awaitPending(group, 3);
      gate.countDown();

      assertEquals(1, blocker.get());
      assertEquals(1, w1.get());
      assertEquals(1, w3.get());
      ExecutionException e = assertThrows(ExecutionException.class, dup::get);
      assertEquals(StorageException.class, e.getCause().getClass());
      // The blocker's transaction, then one transaction for all three queued writes.
      assertEquals(commitsBefore + 2, group.commits());
      List<Integer> rows =
          db.read(
              (ctx, conn) -> ctx.fetch("SELECT x FROM t ORDER BY x").getValues(0, Integer.class));
      assertEquals(List.of(0, 1, 3), rows);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void closeCommitsQueuedWritesThenRefusesNewOnes() {
    SqliteOptions options = SqliteOptions.defaults().withGroupCommit(true);
    Path file = dir.resolve("c.db");
    SqliteDatabase db = SqliteDatabase.open(file, options, new SettableClock(0));
    db.write((ctx, conn) -> ctx.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)"));
    db.write((ctx, conn) -> ctx.execute("INSERT INTO t VALUES (7)"));
    db.close();
    assertThrows(IllegalStateException.class, () -> db.write((ctx, conn) -> 1));
    try (SqliteDatabase again = SqliteDatabase.open(file, options, new SettableClock(0))) {
      int x = again.read((ctx, conn) -> ((Number) ctx.fetchValue("SELECT x FROM t")).intValue());
      assertEquals(7, x);
    }
  }

  private static void awaitPending(GroupCommit group, int n) {
    // The held writer keeps the queued writes pending; each is about to be queued.
    Awaitility.await(n + " writes pending")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(1))
        .until(() -> group.pending() >= n);
  }

  private static CompletableFuture<Integer> submit(SqliteDatabase db, ExecutorService pool, int x) {
    return CompletableFuture.supplyAsync(
        () -> db.write((ctx, conn) -> ctx.execute("INSERT INTO t VALUES (" + x + ")")), pool);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
