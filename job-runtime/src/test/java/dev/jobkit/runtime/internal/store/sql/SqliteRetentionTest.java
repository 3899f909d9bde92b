package dev.jobkit.runtime.internal.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.LogLevel;
import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.LogLine;
import dev.jobkit.runtime.internal.store.MaintenanceRow;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.RetentionContractTest;
import dev.jobkit.runtime.internal.store.RetentionRule;
import dev.jobkit.runtime.internal.store.VacuumMode;
import dev.jobkit.runtime.internal.worker.RetentionTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RetentionContractTest} on a SQLite file, plus compaction, which only SQLite does. */
class SqliteRetentionTest extends RetentionContractTest {
  @TempDir Path dir;

  @Override
  protected JobStore openStore() {
    return Stores.sqlite(file(), SqliteOptions.defaults(), clock);
  }

  private Path file() {
    return dir.resolve("jobs.db");
  }

  /** 2,000 completed jobs with a 2 KB log line each, all finished at {@code at}. */
  private void fill(long at) {
    clock.set(at);
    String line = "x".repeat(2000);
    for (int b = 0; b < 20; b++) {
      List<NewJob> jobs = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        jobs.add(NewJob.of(ids.next(), "big", new byte[200], at));
      }
      store.insertAll(jobs, at);
      for (ClaimedJob c :
          store.claim(new ClaimRequest("w", List.of("default"), 100, at, at + 30_000))) {
        store.appendLogs(
            c.id(), c.epoch(), List.of(new LogLine(0, c.id(), at, LogLevel.INFO, line, 1)));
        store.complete(c.id(), c.epoch(), null, at);
      }
    }
  }

  @Test
  void checkpointLogCopiesTheWriteAheadLogIntoTheFileWithoutAWriteLock() throws Exception {
    // A few hundred jobs go to the WAL: far below the writer's own checkpoint (64 MiB). The
    // checkpoint thread may copy them too, but not necessarily before checkpointLog returns.
    long at = T0;
    clock.set(at);
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      jobs.add(NewJob.of(ids.next(), "small", new byte[500], at));
    }
    long before = Files.size(file());
    store.insertAll(jobs, at);
    store.checkpointLog();
    long after = Files.size(file());
    assertTrue(
        after > before + 100_000, "the file took the WAL's pages: " + before + " -> " + after);
  }

  @Test
  void aNewFileIsIncrementalAndAPassShrinksIt() throws Exception {
    assertEquals(VacuumMode.INCREMENTAL, store.vacuumMode());
    fill(T0);
    store.checkpointLog(); // whatever the checkpoint thread has not copied yet
    long before = Files.size(file());
    assertTrue(before > 4_000_000, "filled: " + before);
    clock.set(T0 + 8 * DAY);
    RetentionTask.Settings d =
        RetentionTask.Settings.of(List.of(RetentionRule.defaults(7 * DAY, 30 * DAY)), "p");
    List<Long> pauses = new ArrayList<>();
    RetentionTask task =
        new RetentionTask(
            store,
            clock,
            "node-1",
            new RetentionTask.Settings(
                d.rules(), "p", 500, 0, 256, d.leaseMs(), d.convertMaxBytes(), d.intervalMs()),
            ms -> {
              pauses.add(ms);
              return false;
            },
            () -> false);
    MaintenanceRow row = task.runOnce();
    assertEquals(2000, row.deleted().completed());
    long after = Files.size(file());
    assertTrue(after < before / 4, "the file shrank from " + before + " to " + after);
    assertTrue(row.freedBytes() > before / 2, "freed " + row.freedBytes() + " of " + before);
    assertEquals(0, store.storageInfo().freePages());
    // 4 full delete batches and several vacuum steps of 256 pages, each followed by a pause.
    assertTrue(pauses.size() > 4 + 3, "pauses: " + pauses);
  }

  @Test
  void anOldFileIsSwitchedToIncrementalByOneVacuum() throws Exception {
    // A file made before schema version 6: a table exists before jobkit's, auto_vacuum NONE.
    store.close();
    Files.delete(file());
    Files.deleteIfExists(dir.resolve("jobs.db-wal"));
    Files.deleteIfExists(dir.resolve("jobs.db-shm"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE app_notes (id INTEGER PRIMARY KEY)");
    }
    store = open();
    assertEquals(VacuumMode.NONE, store.vacuumMode());
    fill(T0);
    store.deleteExpired(List.of(RetentionRule.defaults(0, 0)), T0 + 1, 5000);
    long before = Files.size(file());
    store.enableIncrementalVacuum();
    assertEquals(VacuumMode.INCREMENTAL, store.vacuumMode());
    long after = Files.size(file());
    assertTrue(after < before / 4, "VACUUM compacted the file from " + before + " to " + after);
    // Later frees go back in steps.
    fill(T0);
    store.deleteExpired(List.of(RetentionRule.defaults(0, 0)), T0 + 1, 5000);
    long full = store.storageInfo().freePages();
    assertTrue(full > 1000, "free pages " + full);
    assertEquals(100, store.incrementalVacuum(100));
    assertEquals(full - 100, store.storageInfo().freePages());
  }
}
