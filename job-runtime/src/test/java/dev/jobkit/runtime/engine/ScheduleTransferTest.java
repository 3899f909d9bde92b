package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.Priority;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobTransfer;
import dev.jobkit.runtime.JobTransfer.ScheduleRecord;
import dev.jobkit.runtime.ScheduleSpec;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JobTransfer#exportSchedules} and {@link JobTransfer#importSchedules} (#16) on both
 * databases ({@link ScheduleTransferSqliteTest}, {@link ScheduleTransferPostgresTest}): a schedule
 * with its history moves exactly, an existing one is skipped or replaced in one transaction.
 */
abstract class ScheduleTransferTest {
  @TempDir Path dir;
  private final TestDatabase.Backend backend;
  private final List<JobManager> open = new CopyOnWriteArrayList<>();

  ScheduleTransferTest(TestDatabase.Backend backend) {
    this.backend = backend;
  }

  @AfterEach
  void closeAll() {
    open.forEach(JobManager::close);
  }

  private JobManager database(String name) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    JobManager m = backend.create(d).builder().noWorkers().open();
    open.add(m);
    return m;
  }

  /** A record as comparable text: its parameters as hex. */
  private static String text(ScheduleRecord r) {
    return HexFormat.of().formatHex(r.params())
        + r.toString().replaceAll("params=\\[B@[0-9a-f]+", "");
  }

  private static List<String> texts(List<ScheduleRecord> rs) {
    return rs.stream().map(ScheduleTransferTest::text).toList();
  }

  @Test
  void aScheduleMovesExactlyWithItsHistoryAndIsSkippedOrReplacedWhenItExists() throws Exception {
    JobManager source = database("source");
    source
        .schedules()
        .put(
            ScheduleSpec.every("report", Duration.ofHours(1))
                .job("test.greet", "{\"name\": \"ann\"}")
                .priority(Priority.HIGH)
                .tags(List.of("nightly"))
                .overlap(ScheduleSpec.Overlap.QUEUE_ONE)
                .misfire(ScheduleSpec.Misfire.FIRE_ALL, 5)
                .jitter(Duration.ofSeconds(3))
                .build(),
            "cli");
    String fired = source.schedules().trigger("report", "cli").orElseThrow().id();
    source.schedules().pause("report", "maintenance", "cli");
    List<ScheduleRecord> records = source.transfer().exportSchedules();
    assertEquals(1, records.size());
    ScheduleRecord r = records.get(0);
    assertTrue(r.paused());
    assertEquals("maintenance", r.pauseReason());
    assertEquals(fired, r.lastJobId());
    assertEquals(1, r.history().size());
    assertEquals(fired, r.history().get(0).jobId());

    JobManager target = database("target");
    JobTransfer.ScheduleImportResult in = target.transfer().importSchedules(records, false);
    assertEquals(List.of("report"), in.inserted());
    assertEquals(texts(records), texts(target.transfer().exportSchedules()));
    assertEquals(
        source.schedules().history("report", 10), target.schedules().history("report", 10));

    // Changed in the target: skipped without replace, restored exactly with it.
    target.schedules().resume("report", "cli");
    String changed = texts(target.transfer().exportSchedules()).get(0);
    assertEquals(List.of("report"), target.transfer().importSchedules(records, false).skipped());
    assertEquals(List.of(changed), texts(target.transfer().exportSchedules()));
    assertEquals(List.of("report"), target.transfer().importSchedules(records, true).replaced());
    assertEquals(texts(records), texts(target.transfer().exportSchedules()));
    assertTrue(target.schedules().get("report").orElseThrow().paused());

    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () -> database("other").transfer().importSchedules(List.of(r, r), false));
    assertTrue(twice.getMessage().contains("'report' is given twice"), twice.getMessage());
  }
}
