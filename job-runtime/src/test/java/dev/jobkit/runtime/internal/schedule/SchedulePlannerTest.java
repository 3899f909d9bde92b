package dev.jobkit.runtime.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.Priority;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.ScheduleChange;
import dev.jobkit.runtime.internal.store.ScheduleFireRow;
import dev.jobkit.runtime.internal.store.ScheduleRow;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The schedule rules without a database: misfire, overlap, pending slots, jitter, pause. */
class SchedulePlannerTest {
  private static final long T0 = Instant.parse("2026-12-06T10:00:00Z").toEpochMilli();
  private static final long MIN = 60_000;

  private final SchedulePlanner planner =
      new SchedulePlanner(
          new JobIds(Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC), new Random(1)));

  /** Every minute from T0, due at T0; policies as given. */
  private static ScheduleRow everyMinute(String misfire, int cap, String overlap, long jitterMs) {
    return new ScheduleRow(
        "s",
        "test.greet",
        new byte[] {(byte) 0x80},
        Priority.NORMAL,
        "default",
        3,
        0,
        List.of("t"),
        null,
        MIN,
        "UTC",
        misfire,
        cap,
        MIN, // grace: one minute
        overlap,
        "ONCE",
        jitterMs,
        false,
        null,
        T0,
        null,
        0,
        null,
        false,
        T0 - MIN,
        null,
        T0 - MIN);
  }

  private static List<Long> slots(ScheduleChange c) {
    return c.fires().stream()
        .filter(f -> f.outcome().equals("FIRED"))
        .map(ScheduleFireRow::slot)
        .toList();
  }

  @Test
  void aSlotOnTimeFiresOneJobUnderItsKeyAndMovesToTheNextSlot() {
    ScheduleChange c = planner.fire(everyMinute("FIRE_ONCE", 100, "ALLOW", 0), false, T0 + 5, T0);
    assertEquals(1, c.jobs().size());
    NewJob job = c.jobs().get(0);
    assertEquals("schedule:s@2026-12-06T10:00:00Z", job.idempotencyKey());
    assertEquals(T0, job.runAt());
    assertEquals("schedule:s", job.createdBy());
    assertEquals(List.of("t"), job.tags());
    assertEquals(T0 + MIN, c.row().nextFireAt());
    assertEquals(T0, c.row().lastFireAt());
    assertEquals(job.id(), c.row().lastJobId());
    assertNull(c.fires().get(0).reason());
  }

  @Test
  void nothingWhenAnotherProcessFiredTheSlotAlready() {
    ScheduleRow moved = everyMinute("FIRE_ONCE", 100, "ALLOW", 0);
    // This process read next = T0 - MIN; the row says T0: someone fired that slot.
    assertSame(ScheduleChange.NONE, planner.fire(moved, false, T0 + 5, T0 - MIN));
  }

  @Test
  void nothingBeforeTheSlotOrWhenPaused() {
    ScheduleRow r = everyMinute("FIRE_ONCE", 100, "ALLOW", 0);
    assertSame(ScheduleChange.NONE, planner.fire(r, false, T0 - 1, T0));
    ScheduleRow paused = planner.pause(r, "maintenance", T0).row();
    assertSame(ScheduleChange.NONE, planner.fire(paused, false, T0 + 5, T0));
  }

  @Test
  void lateSlotsWithinTheGraceAllFire() {
    // 40 s late: T0 fires; T0+1min is not due yet.
    ScheduleChange c = planner.fire(everyMinute("SKIP", 100, "ALLOW", 0), false, T0 + 40_000, T0);
    assertEquals(List.of(T0), slots(c));
  }

  @Test
  void misfireSkipFiresNoMissedSlotAndRecordsThemInOneRow() {
    // Down from T0 to T0 + 10 min 30 s: T0..T0+9min are missed (older than the 1 min grace), T0+10
    // is on time.
    long now = T0 + 10 * MIN + 30_000;
    ScheduleChange c = planner.fire(everyMinute("SKIP", 100, "ALLOW", 0), false, now, T0);
    assertEquals(List.of(T0 + 10 * MIN), slots(c));
    ScheduleFireRow skipped = c.fires().get(0);
    assertEquals("SKIPPED", skipped.outcome());
    assertEquals(T0, skipped.slot());
    assertTrue(
        skipped.reason().startsWith("10 slots up to 2026-12-06T10:09:00Z missed"),
        skipped.reason());
    assertEquals(T0 + 11 * MIN, c.row().nextFireAt());
  }

  @Test
  void misfireFireOnceFiresTheLatestMissedSlotLate() {
    long now = T0 + 10 * MIN + 30_000;
    ScheduleChange c = planner.fire(everyMinute("FIRE_ONCE", 100, "ALLOW", 0), false, now, T0);
    assertEquals(List.of(T0 + 9 * MIN, T0 + 10 * MIN), slots(c));
    assertTrue(c.fires().get(0).reason().startsWith("9 slots up to"), c.fires().get(0).reason());
    assertEquals("fired 1m30s late (misfire FIRE_ONCE)", c.fires().get(1).reason());
  }

  @Test
  void misfireFireAllFiresUpToTheCapOfTheLatestMissedSlots() {
    long now = T0 + 10 * MIN + 30_000;
    ScheduleChange c = planner.fire(everyMinute("FIRE_ALL", 3, "ALLOW", 0), false, now, T0);
    assertEquals(List.of(T0 + 7 * MIN, T0 + 8 * MIN, T0 + 9 * MIN, T0 + 10 * MIN), slots(c));
    assertEquals(4, c.jobs().size());
    assertEquals(T0 + 7 * MIN, c.jobs().get(0).runAt());
  }

  @Test
  void overlapSkipRecordsTheSlotWhileThePreviousRunGoesOn() {
    ScheduleRow r = everyMinute("FIRE_ONCE", 100, "SKIP", 0);
    ScheduleChange c = planner.fire(r, true, T0 + 5, T0);
    assertTrue(c.jobs().isEmpty());
    assertEquals("SKIPPED", c.fires().get(0).outcome());
    assertTrue(c.fires().get(0).reason().endsWith("has not ended (overlap SKIP)"));
    assertEquals(T0 + MIN, c.row().nextFireAt());
  }

  @Test
  void overlapQueueOneKeepsOneSlotPendingAndFiresItWhenThePreviousRunEnds() {
    ScheduleRow r = everyMinute("FIRE_ONCE", 100, "QUEUE_ONE", 0);
    ScheduleChange first = planner.fire(r, true, T0 + 5, T0);
    assertTrue(first.jobs().isEmpty());
    assertEquals(T0, first.row().pendingSlot());
    // The next slot while the run still goes: skipped, one is pending already.
    ScheduleChange second = planner.fire(first.row(), true, T0 + MIN + 5, T0 + MIN);
    assertTrue(second.jobs().isEmpty());
    assertEquals(T0, second.row().pendingSlot());
    assertTrue(second.fires().get(0).reason().contains("already waits"));
    // The run ended: the pending slot fires now, under its own key.
    long now = T0 + MIN + 20_000;
    ScheduleChange third = planner.fire(second.row(), false, now, second.row().nextFireAt());
    assertEquals(1, third.jobs().size());
    assertEquals("schedule:s@2026-12-06T10:00:00Z", third.jobs().get(0).idempotencyKey());
    assertNull(third.row().pendingSlot());
    assertEquals(T0 + 2 * MIN, third.row().nextFireAt());
  }

  @Test
  void overlapAllowFiresWhileThePreviousRunGoesOn() {
    ScheduleChange c = planner.fire(everyMinute("FIRE_ONCE", 100, "ALLOW", 0), true, T0 + 5, T0);
    assertEquals(1, c.jobs().size());
  }

  @Test
  void jitterIsDeterministicBoundedAndSpread() {
    long max = 10_000;
    long a = SchedulePlanner.jitter("s", T0, max);
    assertEquals(a, SchedulePlanner.jitter("s", T0, max));
    assertNotEquals(a, SchedulePlanner.jitter("s", T0 + MIN, max));
    for (int i = 0; i < 1000; i++) {
      long j = SchedulePlanner.jitter("s", T0 + i * MIN, max);
      assertTrue(j >= 0 && j <= max, "jitter " + j);
    }
    ScheduleChange c = planner.fire(everyMinute("FIRE_ONCE", 100, "ALLOW", max), false, T0 + 5, T0);
    assertEquals(T0 + a, c.jobs().get(0).runAt());
    assertEquals(0, SchedulePlanner.jitter("s", T0, 0));
  }

  @Test
  void resumeSkipsTheSlotsThatPassedWhilePausedInOneRow() {
    ScheduleRow paused =
        planner.pause(everyMinute("FIRE_ALL", 100, "ALLOW", 0), "deploy", T0).row();
    assertTrue(paused.paused());
    assertEquals("deploy", paused.pauseReason());
    long now = T0 + 5 * MIN + 1;
    ScheduleChange c = planner.resume(paused, now);
    assertEquals(false, c.row().paused());
    assertEquals(T0 + 6 * MIN, c.row().nextFireAt());
    assertEquals("6 slots passed while paused (deploy)", c.fires().get(0).reason());
    assertTrue(c.jobs().isEmpty());
  }

  @Test
  void triggerDispatchesNowWithoutAKeyAndKeepsTheSlots() {
    ScheduleChange c = planner.trigger(everyMinute("FIRE_ONCE", 100, "SKIP", 0), T0 + 7, "key:ops");
    assertEquals(1, c.jobs().size());
    assertNull(c.jobs().get(0).idempotencyKey());
    assertEquals("key:ops", c.jobs().get(0).createdBy());
    assertEquals("TRIGGERED", c.fires().get(0).outcome());
    assertEquals("triggered by key:ops", c.fires().get(0).reason());
    assertEquals(T0, c.row().nextFireAt());
    assertEquals(c.jobs().get(0).id(), c.row().lastJobId());
  }

  @Test
  void aLongOutageOfAFrequentScheduleIsSkippedInOneRecordBeyondTheLimit() {
    ScheduleRow r = everyMinute("SKIP", 100, "ALLOW", 0);
    long now = T0 + (SchedulePlanner.MAX_SLOTS_PER_FIRING + 50L) * MIN;
    ScheduleChange c = planner.fire(r, false, now, T0);
    assertTrue(c.row().nextFireAt() > now);
    assertTrue(
        c.fires().stream().anyMatch(f -> f.reason() != null && f.reason().startsWith("more than")));
  }
}
