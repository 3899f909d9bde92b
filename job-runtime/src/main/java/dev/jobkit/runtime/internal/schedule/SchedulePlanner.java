package dev.jobkit.runtime.internal.schedule;

import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.ScheduleChange;
import dev.jobkit.runtime.internal.store.ScheduleFireRow;
import dev.jobkit.runtime.internal.store.ScheduleRow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The rules of schedules in one place, without I/O: what firing, triggering, pausing or resuming a
 * schedule writes, decided from the row as stored (read under a lock, see {@code
 * JobStore#changeSchedule}). Every method is deterministic given its arguments and the id
 * generator.
 *
 * <p>Firing at {@code now} looks at every slot from the stored next slot up to {@code now}. A slot
 * more than the misfire grace in the past was missed (nothing was running to fire it): the misfire
 * policy decides whether it fires ({@code SKIP}: none; {@code FIRE_ONCE}: the latest missed one;
 * {@code FIRE_ALL}: the latest {@code cap} missed ones). Each slot that would fire while the
 * previous run has not ended goes through the overlap policy ({@code SKIP}: recorded as skipped;
 * {@code QUEUE_ONE}: kept as the one pending slot, fired once the previous run ends; {@code ALLOW}:
 * fired). A fired slot's job is inserted under the key {@code schedule:<name>@<slot>} and due at
 * its slot plus its deterministic jitter.
 */
public final class SchedulePlanner {
  /** Slots looked at one by one in one firing; beyond, the rest are skipped in one record. */
  static final int MAX_SLOTS_PER_FIRING = 10_000;

  /** The outcomes of a history row. */
  public static final String FIRED = "FIRED";

  /** A slot fired by hand ({@code trigger}). */
  public static final String TRIGGERED = "TRIGGERED";

  /** A slot that did not fire, with the reason. */
  public static final String SKIPPED = "SKIPPED";

  private final JobIds ids;
  private final UnaryOperator<NewJob> limits; // #12 limits

  /** A planner taking job and history ids from {@code ids}, its jobs without limit keys. */
  public SchedulePlanner(JobIds ids) {
    this(ids, UnaryOperator.identity());
  }

  /**
   * A planner taking job and history ids from {@code ids}, each job it makes passed through {@code
   * limits} (which gives it its limit keys, #12 limits).
   */
  public SchedulePlanner(JobIds ids, UnaryOperator<NewJob> limits) {
    this.ids = ids;
    this.limits = limits;
  }

  /** When {@code row} fires: its cron expression in its zone, or its interval. */
  public static Trigger trigger(ScheduleRow row) {
    if (row.cron() != null) {
      return Trigger.cron(
          CronExpression.parse(row.cron()), ZoneId.of(row.zone()), "BOTH".equals(row.fallBack()));
    }
    // Interval slots lie on the grid of the stored next slot.
    long anchor = row.nextFireAt() == Long.MAX_VALUE ? row.createdAt() : row.nextFireAt();
    return Trigger.every(Duration.ofMillis(row.intervalMs()), Instant.ofEpochMilli(anchor));
  }

  /** The first slot of {@code trigger} at or after {@code now}, or {@link Long#MAX_VALUE}. */
  public static long firstAtOrAfter(Trigger trigger, long now) {
    return millis(trigger.next(Instant.ofEpochMilli(now - 1)));
  }

  /** The {@code n} slots from {@code row}'s next one. */
  public static List<Instant> preview(ScheduleRow row, int n) {
    List<Instant> out = new ArrayList<>(n);
    if (row.nextFireAt() == Long.MAX_VALUE) {
      return out;
    }
    Trigger t = trigger(row);
    Instant s = Instant.ofEpochMilli(row.nextFireAt());
    while (s != null && out.size() < n) {
      out.add(s);
      s = t.next(s);
    }
    return out;
  }

  /** How long after its slot the job of {@code slot} is due: the same for every node and run. */
  public static long jitter(String schedule, long slot, long maxJitterMs) {
    if (maxJitterMs <= 0) {
      return 0;
    }
    long h = schedule.hashCode() * 0x9E3779B97F4A7C15L + slot;
    // SplitMix64's finalizer: well spread for neighbouring slots.
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    h = h ^ (h >>> 31);
    return Math.floorMod(h, maxJitterMs + 1);
  }

  /** The idempotency key of a slot's job. */
  public static String slotKey(String schedule, long slot) {
    return "schedule:" + schedule + "@" + Instant.ofEpochMilli(slot);
  }

  /** The actor recorded on jobs a schedule dispatches. */
  public static String actor(String schedule) {
    return "schedule:" + schedule;
  }

  /**
   * What firing the schedule at {@code now} writes. Nothing when it is gone, paused, or another
   * process already fired the slot this one saw ({@code expectedNext}) and no slot is pending.
   */
  public ScheduleChange fire(ScheduleRow row, boolean lastRunning, long now, long expectedNext) {
    if (row == null || row.paused()) {
      return ScheduleChange.NONE;
    }
    boolean slotsDue = row.nextFireAt() == expectedNext && row.nextFireAt() <= now;
    if (!slotsDue && (row.pendingSlot() == null || lastRunning)) {
      return ScheduleChange.NONE;
    }
    Firing f = new Firing(row, lastRunning, now);
    if (row.pendingSlot() != null && !lastRunning) {
      f.pending = null;
      f.fire(row.pendingSlot(), "waited for the previous run to end (overlap QUEUE_ONE)");
    }
    long next = row.nextFireAt();
    if (slotsDue) {
      Trigger trigger = trigger(row);
      List<Long> due = new ArrayList<>();
      Instant s = Instant.ofEpochMilli(next);
      while (s != null && s.toEpochMilli() <= now && due.size() < MAX_SLOTS_PER_FIRING) {
        due.add(s.toEpochMilli());
        s = trigger.next(s);
      }
      if (s != null && s.toEpochMilli() <= now) {
        // Too many to look at one by one (a long outage of a frequent schedule): skip the rest.
        long from = s.toEpochMilli();
        s = trigger.next(Instant.ofEpochMilli(now));
        f.skip(
            from,
            "more than "
                + MAX_SLOTS_PER_FIRING
                + " slots were due at once; skipped the rest up to "
                + Instant.ofEpochMilli(now));
      }
      next = millis(s);
      long lateBefore = now - row.misfireGraceMs();
      List<Long> missed = new ArrayList<>();
      List<Long> onTime = new ArrayList<>();
      for (long slot : due) {
        (slot < lateBefore ? missed : onTime).add(slot);
      }
      int fireMissed =
          switch (row.misfire()) {
            case "SKIP" -> 0;
            case "FIRE_ONCE" -> Math.min(1, missed.size());
            default -> Math.min(row.misfireCap(), missed.size());
          };
      int skipMissed = missed.size() - fireMissed;
      if (skipMissed > 0) {
        f.skip(
            missed.get(0),
            skipMissed == 1
                ? "missed while nothing was running (misfire " + row.misfire() + ")"
                : skipMissed
                    + " slots up to "
                    + Instant.ofEpochMilli(missed.get(skipMissed - 1))
                    + " missed while nothing was running (misfire "
                    + row.misfire()
                    + ")");
      }
      for (long slot : missed.subList(skipMissed, missed.size())) {
        f.offer(slot, "fired " + seconds(now - slot) + " late (misfire " + row.misfire() + ")");
      }
      for (long slot : onTime) {
        f.offer(slot, null);
      }
    }
    return new ScheduleChange(
        row.withFiring(next, f.pending, f.lastFireAt, f.lastJobId, now), false, f.jobs, f.fires);
  }

  /** What firing the schedule by hand at {@code now} writes: one job now, whatever the policies. */
  public ScheduleChange trigger(ScheduleRow row, long now, String actor) {
    if (row == null) {
      return ScheduleChange.NONE;
    }
    NewJob job = job(row, now, null, actor != null ? actor : actor(row.name()), 0);
    ScheduleFireRow fire =
        new ScheduleFireRow(
            ids.next(),
            row.name(),
            now,
            TRIGGERED,
            job.id(),
            actor == null ? "triggered by hand" : "triggered by " + actor,
            now);
    return new ScheduleChange(
        row.withFiring(row.nextFireAt(), row.pendingSlot(), row.lastFireAt(), job.id(), now),
        false,
        List.of(job),
        List.of(fire));
  }

  /** Pauses the schedule with a reason; a pending slot stays pending. */
  public ScheduleChange pause(ScheduleRow row, String reason, long now) {
    if (row == null) {
      return ScheduleChange.NONE;
    }
    return ScheduleChange.store(
        row.withPaused(true, reason, row.nextFireAt(), row.pendingSlot(), now));
  }

  /**
   * Resumes the schedule from the first slot at or after {@code now}; the slots that passed while
   * it was paused are skipped, in one history row.
   */
  public ScheduleChange resume(ScheduleRow row, long now) {
    if (row == null) {
      return ScheduleChange.NONE;
    }
    if (!row.paused()) {
      return ScheduleChange.store(row);
    }
    Trigger trigger = trigger(row);
    long next = firstAtOrAfter(trigger, now);
    List<ScheduleFireRow> fires = new ArrayList<>();
    if (row.nextFireAt() < now) {
      int n = 0;
      Instant s = Instant.ofEpochMilli(row.nextFireAt());
      while (s != null && s.toEpochMilli() < now && n < MAX_SLOTS_PER_FIRING) {
        n++;
        s = trigger.next(s);
      }
      String count = n == MAX_SLOTS_PER_FIRING ? "at least " + n : Integer.toString(n);
      fires.add(
          new ScheduleFireRow(
              ids.next(),
              row.name(),
              row.nextFireAt(),
              SKIPPED,
              null,
              count
                  + (n == 1 ? " slot" : " slots")
                  + " passed while paused"
                  + (row.pauseReason() == null ? "" : " (" + row.pauseReason() + ")"),
              now));
    }
    return new ScheduleChange(
        row.withPaused(false, null, next, row.pendingSlot(), now), false, List.of(), fires);
  }

  private NewJob job(ScheduleRow row, long slot, String key, String createdBy, long jitterMs) {
    return limits.apply(
        new NewJob(
                ids.next(),
                row.jobName(),
                row.params(),
                row.priority(),
                row.queue(),
                row.maxAttempts(),
                slot + jitterMs,
                row.tags(),
                key,
                row.timeoutMs(),
                0,
                createdBy)
            .withTenant(row.tenant())); // #14 tenants: before the limits, which key on it
  }

  /** The jobs and history rows of one firing, as it proceeds slot by slot. */
  private final class Firing {
    final ScheduleRow row;
    final long now;
    final List<NewJob> jobs = new ArrayList<>();
    final List<ScheduleFireRow> fires = new ArrayList<>();
    boolean previousRunning;
    Long pending;
    long lastFireAt;
    String lastJobId;

    Firing(ScheduleRow row, boolean previousRunning, long now) {
      this.row = row;
      this.now = now;
      this.previousRunning = previousRunning;
      this.pending = row.pendingSlot();
      this.lastFireAt = row.lastFireAt();
      this.lastJobId = row.lastJobId();
    }

    /** A slot that fires unless the overlap policy says otherwise. */
    void offer(long slot, String reason) {
      if (!previousRunning || "ALLOW".equals(row.overlap())) {
        fire(slot, reason);
      } else if ("QUEUE_ONE".equals(row.overlap()) && pending == null) {
        pending = slot;
      } else {
        skip(
            slot,
            "QUEUE_ONE".equals(row.overlap())
                ? "a slot already waits for the previous run " + lastJobId + " (overlap QUEUE_ONE)"
                : "the previous run " + lastJobId + " has not ended (overlap SKIP)");
      }
    }

    void fire(long slot, String reason) {
      NewJob job =
          job(
              row,
              slot,
              slotKey(row.name(), slot),
              actor(row.name()),
              jitter(row.name(), slot, row.jitterMs()));
      jobs.add(job);
      fires.add(new ScheduleFireRow(ids.next(), row.name(), slot, FIRED, job.id(), reason, now));
      previousRunning = true;
      lastFireAt = slot;
      lastJobId = job.id();
    }

    void skip(long slot, String reason) {
      fires.add(new ScheduleFireRow(ids.next(), row.name(), slot, SKIPPED, null, reason, now));
    }
  }

  private static long millis(Instant i) {
    return i == null ? Long.MAX_VALUE : i.toEpochMilli();
  }

  private static String seconds(long ms) {
    return ms < 10_000
        ? String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0)
        : Duration.ofMillis(ms)
            .withNanos(0)
            .toString()
            .substring(2)
            .toLowerCase(java.util.Locale.ROOT);
  }
}
