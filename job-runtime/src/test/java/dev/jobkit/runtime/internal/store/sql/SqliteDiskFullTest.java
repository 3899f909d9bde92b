package dev.jobkit.runtime.internal.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.SettableClock;
import dev.jobkit.runtime.internal.store.StorageException;
import dev.jobkit.runtime.internal.store.StorageException.Reason;
import dev.jobkit.runtime.testing.SmallDisk;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A disk that fills up under a SQLite store: the failed write is rolled back, the file's write lock
 * is released, the error says the disk is full, and the store works again once space is freed. Once
 * on a real size-limited tmpfs (skipped where the test cannot mount one), once with SQLite's {@code
 * max_page_count}, which fails writes with {@code SQLITE_FULL} everywhere.
 */
class SqliteDiskFullTest {
  @TempDir Path dir;
  final SettableClock clock = new SettableClock(1_700_000_000_000L);
  private final JobIds ids = new JobIds(clock);

  private static SqliteOptions options(boolean groupCommit) {
    return SqliteOptions.defaults().withGroupCommit(groupCommit);
  }

  @ParameterizedTest(name = "group commit {0}")
  @ValueSource(booleans = {false, true})
  void aFullDiskFailsWritesHonestlyReleasesTheLockAndRecoversWhenSpaceIsFreed(boolean group)
      throws Exception {
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("small"), 1024)) {
      Path file = disk.dir().resolve("jobs.db");
      try (JobStore store = Stores.sqlite(file, options(group), clock)) {
        String kept = insert(store, 100);
        disk.fill();
        StorageException full = fillUntilRefused(store);
        assertDiskFull(full, file);
        assertTheWriteLockIsFree(file);
        // Still full: the next write says so again, it is not stuck in the failed transaction.
        assertDiskFull(fillUntilRefused(store), file);
        assertTheWriteLockIsFree(file);

        disk.free();
        assertWorksAgain(store, kept);
      }
    }
  }

  @ParameterizedTest(name = "group commit {0}")
  @ValueSource(booleans = {false, true})
  void aPageLimitStandsInForAFullDisk(boolean group) throws Exception {
    Path file = dir.resolve("jobs.db");
    try (JobStore store = Stores.sqlite(file, options(group), clock)) {
      SqliteDatabase db = (SqliteDatabase) ((SqlJobStore) store).db;
      String kept = insert(store, 100);
      db.write((ctx, c) -> limitPages(c, 1)); // clamped to the current size: no page to spare
      StorageException full = fillUntilRefused(store);
      assertDiskFull(full, file);
      assertTheWriteLockIsFree(file);
      assertDiskFull(fillUntilRefused(store), file);
      assertTheWriteLockIsFree(file);

      db.write((ctx, c) -> limitPages(c, 1_000_000_000));
      assertWorksAgain(store, kept);
    }
  }

  private static Void limitPages(Connection c, long pages) throws java.sql.SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA max_page_count = " + pages);
    }
    return null;
  }

  private String insert(JobStore store, int size) {
    String id = ids.next();
    store.insert(NewJob.of(id, "a", new byte[size], clock.millis()), clock.millis());
    return id;
  }

  /** Inserts ever more jobs of 16 KiB until the store refuses one. */
  private StorageException fillUntilRefused(JobStore store) {
    for (int i = 0; i < 10_000; i++) {
      try {
        insert(store, 16 * 1024);
      } catch (StorageException e) {
        return e;
      }
    }
    return fail("the store never refused a write on a full disk");
  }

  private static void assertDiskFull(StorageException e, Path file) {
    assertEquals(Reason.DISK_FULL, e.reason(), e.getMessage());
    assertTrue(
        e.getMessage().contains("the disk holding " + file.toAbsolutePath().getParent())
            && e.getMessage().contains("is full"),
        e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  /** Another program can take the file's write lock at once: nothing still holds it. */
  private static void assertTheWriteLockIsFree(Path file) throws Exception {
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = other.createStatement()) {
      s.execute("PRAGMA busy_timeout = 0");
      s.execute("BEGIN IMMEDIATE");
      s.execute("ROLLBACK");
    }
  }

  private void assertWorksAgain(JobStore store, String kept) {
    assertTrue(store.get(kept).isPresent(), "a job committed before the disk filled is kept");
    String id = insert(store, 100);
    List<String> claimed = new ArrayList<>();
    for (ClaimedJob j :
        store.claim(
            new ClaimRequest(
                "w", List.of("default"), 100, clock.millis(), clock.millis() + 60_000))) {
      claimed.add(j.id());
    }
    assertTrue(claimed.contains(kept) && claimed.contains(id), "claimed " + claimed);
  }
}
