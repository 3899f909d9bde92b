package dev.jobkit.runtime;

import dev.jobkit.runtime.internal.store.FeedEvent;
import dev.jobkit.runtime.internal.store.FeedLog;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.ProgressRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The durable change feed of a job database: status changes and log lines of every job, whichever
 * process made or wrote them, in id order, and the progress of running jobs. It is what an HTTP
 * server streams to browsers (Server-Sent Events): one {@link Tail} per server polls the database
 * and fans out; a client that reconnects resumes from the {@link FeedCursor} of the last thing it
 * saw.
 *
 * <pre>{@code
 * JobFeed.Tail tail = jobs.feed().tail(jobs.feed().head());
 * while (running) {
 *   JobFeed.Batch b = tail.poll(500);
 *   b.events().forEach(this::send);
 *   b.logs().forEach(this::send);
 *   // b.resumeFrom() is safe to hand to a client as the place to resume from
 * }
 * }</pre>
 *
 * <p>A job's dispatch writes no event row (the CREATED entry of {@link JobManager#events} is
 * derived from the job's row). The feed finds dispatches instead by reading the jobs' primary key
 * in id order: job ids start with their creation time, so a tail reads the jobs created since its
 * last poll, up to {@link #DISPATCH_SETTLE} ago (rows committed a little after their id was made
 * are not skipped). Dispatches therefore reach a tail a few seconds late; this process's own
 * dispatches are seen at once through {@link JobManager#subscribe} ({@link
 * JobEventType#DISPATCHED}). Thread-safe.
 */
public final class JobFeed {
  /** How long a {@link Tail} waits for a row with a lower id to become visible; see there. */
  public static final Duration HOLE_GRACE = Duration.ofSeconds(10);

  /**
   * How old a job id must be before a {@link Tail} reports its dispatch. A job's id is made from
   * the dispatching node's clock shortly before its row commits; a job whose row commits later than
   * this after its id was made (or whose node's clock is behind by more) is not reported as
   * dispatched, only by its later status changes.
   */
  public static final Duration DISPATCH_SETTLE = Duration.ofSeconds(3);

  private final JobStore store;
  private final Clock clock;
  private final Runnable checkOpen;

  JobFeed(JobStore store, Clock clock, Runnable checkOpen) {
    this.store = store;
    this.clock = clock;
    this.checkOpen = checkOpen;
  }

  /**
   * The current end of the feed: a {@link #tail(FeedCursor)} from here delivers the events and log
   * lines stored after this call, and the dispatches of jobs created less than {@link
   * #DISPATCH_SETTLE} before it or later.
   */
  public FeedCursor head() {
    checkOpen.run();
    return new FeedCursor(
        store.lastEventId(), store.lastLogId(), settledUpTo(DISPATCH_SETTLE.toMillis()));
  }

  /** The greatest job id made more than {@code settleMs} ago. */
  private String settledUpTo(long settleMs) {
    return JobIds.maxAt(clock.millis() - settleMs - 1);
  }

  /**
   * A reader of everything after {@code from} ({@link FeedCursor#START} for all that is stored).
   * Meant to be long-lived and shared (one per server, fanning out to its clients), not one per
   * client.
   */
  public Tail tail(FeedCursor from) {
    return tail(from, HOLE_GRACE);
  }

  Tail tail(FeedCursor from, Duration holeGrace) {
    return tail(from, holeGrace, DISPATCH_SETTLE);
  }

  Tail tail(FeedCursor from, Duration holeGrace, Duration dispatchSettle) {
    checkOpen.run();
    Objects.requireNonNull(from, "from");
    return new Tail(from, holeGrace.toNanos(), System::nanoTime, dispatchSettle.toMillis());
  }

  /**
   * A stateful reader of the feed. Each {@link #poll} returns what became visible since the last
   * one, oldest first, and each event or log id at most once.
   *
   * <p>Ids come from a sequence on PostgreSQL, and a transaction can commit after another one that
   * took a higher id: a row with a lower id can become visible after a higher one was read. A tail
   * remembers the ids missing below the highest it delivered ("holes") and asks for them again on
   * every poll for {@link JobFeed#HOLE_GRACE}, then gives up on them (an id a rolled-back
   * transaction took is never filled). {@link Batch#resumeFrom()} is therefore the low-water mark:
   * everything at or below it was delivered or given up, so a new tail started from it may deliver
   * duplicates (clients dedupe by kind and id) but never misses a committed row. Polls are
   * serialized; a tail may be polled from any thread.
   */
  public final class Tail {
    /** Progress of at most this many jobs is remembered to report only changes. */
    private static final int PROGRESS_MEMORY = 10_000;

    /** Slack for progress rows written with other nodes' clocks or committed late. */
    private static final long PROGRESS_SLACK_MS = 5_000;

    private final Ids events;
    private final Ids logs;
    private final long settleMs;

    /** The greatest job id whose dispatch was delivered or is behind the start. */
    private String jobHigh;

    private final Map<String, String> lastProgress =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, String> e) {
            return size() > PROGRESS_MEMORY;
          }
        };
    private long progressSince;

    private Tail(FeedCursor from, long holeGraceNanos, LongSupplier nanoClock, long settleMs) {
      this.events = new Ids(from.eventId(), holeGraceNanos, nanoClock);
      this.logs = new Ids(from.logId(), holeGraceNanos, nanoClock);
      this.settleMs = settleMs;
      this.jobHigh = from.jobId() != null ? from.jobId() : settledUpTo(settleMs);
    }

    /**
     * What became visible since the last poll: at most {@code limit} dispatches (jobs created more
     * than {@link JobFeed#DISPATCH_SETTLE} ago that were not delivered yet), at most {@code limit}
     * events and at most {@code limit} log lines, each oldest first, and the progress of running
     * jobs whose stored progress changed (all running jobs' progress on the first poll).
     *
     * @throws IllegalArgumentException if {@code limit} is not 1 to 10,000
     */
    public synchronized Batch poll(int limit) {
      if (limit < 1 || limit > 10_000) {
        throw new IllegalArgumentException("poll limit must be 1 to 10000, got " + limit);
      }
      checkOpen.run();
      Map<String, String> tenants = new HashMap<>(); // #14: jobs not in the default tenant
      List<JobEventInfo> dispatches = new ArrayList<>();
      String upTo = settledUpTo(settleMs);
      if (upTo.compareTo(jobHigh) > 0) {
        List<FeedEvent> created = store.jobsCreated(jobHigh, upTo, limit);
        for (FeedEvent f : created) {
          dispatches.add(JobQueries.toInfo(f.event(), f.jobName()));
          tenant(tenants, f.event().jobId(), f.tenant());
        }
        // Below upTo every row has settled: the next poll starts there, or after the last row
        // when there are more.
        jobHigh = created.size() == limit ? created.get(created.size() - 1).event().jobId() : upTo;
      }
      List<FeedEvent> evFound = store.eventsAfter(events.high, events.holesToAsk(), limit);
      if (evFound.isEmpty()) {
        events.notDeletedAbove(store::lastEventId);
      }
      List<FeedEvent> evRows = events.accept(evFound, f -> f.event().id());
      List<FeedLog> logFound = store.logsAfter(logs.high, logs.holesToAsk(), limit);
      if (logFound.isEmpty()) {
        logs.notDeletedAbove(store::lastLogId);
      }
      List<FeedLog> logRows = logs.accept(logFound, f -> f.line().id());
      List<JobEventInfo> ev = new ArrayList<>(evRows.size());
      for (FeedEvent f : evRows) {
        if (f.jobName() == null) {
          continue; // its job was deleted meanwhile
        }
        ev.add(JobQueries.toInfo(f.event(), f.jobName()));
        tenant(tenants, f.event().jobId(), f.tenant());
      }
      List<JobLogLine> lines = new ArrayList<>(logRows.size());
      for (FeedLog f : logRows) {
        if (f.jobName() == null) {
          continue;
        }
        lines.add(JobQueries.toInfo(f.line()));
        tenant(tenants, f.line().jobId(), f.tenant());
      }
      List<ProgressUpdate> progress = new ArrayList<>();
      long newest = progressSince;
      for (ProgressRow p : store.runningProgress(progressSince)) {
        newest = Math.max(newest, p.updatedAt());
        if (!p.progress().equals(lastProgress.put(p.jobId(), p.progress()))) {
          progress.add(
              new ProgressUpdate(
                  p.jobId(), p.jobName(), p.progress(), Instant.ofEpochMilli(p.updatedAt())));
          tenant(tenants, p.jobId(), p.tenant());
        }
      }
      progressSince = Math.max(progressSince, newest - PROGRESS_SLACK_MS);
      return new Batch(dispatches, ev, lines, progress, resumeFrom(), tenants);
    }

    private static void tenant(Map<String, String> tenants, String jobId, String tenant) {
      if (tenant != null && !tenant.equals(Tenants.DEFAULT)) {
        tenants.put(jobId, tenant);
      }
    }

    /** Where a new tail must start to miss nothing this one has not delivered. */
    public synchronized FeedCursor resumeFrom() {
      return new FeedCursor(events.low(), logs.low(), jobHigh);
    }
  }

  /**
   * The ids of one table seen by a tail: the highest delivered and the holes below it, each with
   * when it was noticed.
   */
  static final class Ids {
    /** At most this many holes are remembered; the lowest beyond it are given up. */
    static final int MAX_HOLES = 10_000;

    /** At most this many holes are asked for in one poll, the lowest first. */
    static final int HOLES_PER_POLL = 500;

    long high;
    private final TreeMap<Long, Long> holes = new TreeMap<>();
    private final long graceNanos;
    private final LongSupplier nanoClock;

    Ids(long from, long graceNanos, LongSupplier nanoClock) {
      this.high = from;
      this.graceNanos = graceNanos;
      this.nanoClock = nanoClock;
    }

    Collection<Long> holesToAsk() {
      long now = nanoClock.getAsLong();
      holes.values().removeIf(noticed -> now - noticed > graceNanos);
      List<Long> ask = new ArrayList<>(Math.min(holes.size(), HOLES_PER_POLL));
      for (Long id : holes.keySet()) {
        if (ask.size() == HOLES_PER_POLL) {
          break;
        }
        ask.add(id);
      }
      return ask;
    }

    /** Keeps the rows not delivered before (rows arrive by id), noting new holes. */
    <T> List<T> accept(List<T> rows, ToLongFunction<T> idOf) {
      List<T> fresh = new ArrayList<>(rows.size());
      long now = nanoClock.getAsLong();
      for (T row : rows) {
        long id = idOf.applyAsLong(row);
        if (id <= high) {
          if (holes.remove(id) != null) {
            fresh.add(row);
          }
          continue;
        }
        // Ids between the highest delivered and this one are not visible (yet): holes. A gap
        // wider than the memory is given up below its top MAX_HOLES ids.
        for (long h = Math.max(high + 1, id - MAX_HOLES); h < id; h++) {
          holes.put(h, now);
        }
        while (holes.size() > MAX_HOLES) {
          holes.pollFirstEntry();
        }
        high = id;
        fresh.add(row);
      }
      return fresh;
    }

    /**
     * Steps back when the newest rows were deleted: on SQLite an id is the highest stored one plus
     * one, so after {@code cleanup} deleted the newest rows new rows take their ids again, which
     * this tail would skip as delivered. When the highest stored id is below the highest delivered
     * one, the rows between are gone: the tail goes on from the highest stored id. Called when a
     * poll found nothing new, so a tail that polls between the cleanup and the next write (every
     * ~100 ms in a server) does not skip. (On PostgreSQL ids come from a sequence and are never
     * reused; stepping back there only re-reads ids that no longer exist.)
     */
    void notDeletedAbove(LongSupplier highestStored) {
      long stored = highestStored.getAsLong();
      if (stored < high) {
        high = stored;
        holes.keySet().removeIf(id -> id > stored);
      }
    }

    /** Everything at or below is delivered or given up. */
    long low() {
      return holes.isEmpty() ? high : holes.firstKey() - 1;
    }
  }

  /**
   * One poll's result.
   *
   * @param dispatches jobs created (dispatched) by any process, each as its {@link
   *     JobEventInfo.Kind#CREATED} entry (id 0, at its creation, into its first state, with its
   *     creator as the actor), oldest first; a few seconds late (see {@link
   *     JobFeed#DISPATCH_SETTLE})
   * @param events status changes and control requests, oldest first
   * @param logs log lines, oldest first
   * @param progress running jobs whose stored progress changed
   * @param resumeFrom where a client that saw this batch resumes from (a low-water mark: resuming
   *     may repeat a few items, never skip one)
   * @param tenants the tenant of each job of this batch that is not in {@link Tenants#DEFAULT} (#14
   *     tenants), by job id; read it with {@link #tenantOf}, and pass it on when building a batch
   *     from another
   */
  public record Batch(
      List<JobEventInfo> dispatches,
      List<JobEventInfo> events,
      List<JobLogLine> logs,
      List<ProgressUpdate> progress,
      FeedCursor resumeFrom,
      Map<String, String> tenants) {

    /** Copies. */
    public Batch {
      dispatches = List.copyOf(dispatches);
      events = List.copyOf(events);
      logs = List.copyOf(logs);
      progress = List.copyOf(progress);
      Objects.requireNonNull(resumeFrom, "resumeFrom");
      tenants = Map.copyOf(tenants);
    }

    /**
     * The tenant of a job named in this batch (#14 tenants): the one of its entry in {@link
     * #tenants()}, else {@link Tenants#DEFAULT}.
     */
    public String tenantOf(String jobId) {
      return tenants.getOrDefault(jobId, Tenants.DEFAULT);
    }

    /** Whether the batch carries nothing. */
    public boolean isEmpty() {
      return dispatches.isEmpty() && events.isEmpty() && logs.isEmpty() && progress.isEmpty();
    }
  }

  /**
   * The stored progress of a running job.
   *
   * @param jobId the job's id
   * @param jobName its registered name
   * @param progressJson its latest stored progress as JSON
   * @param at when it was stored (the row's last update)
   */
  public record ProgressUpdate(String jobId, String jobName, String progressJson, Instant at) {

    /** Validates. */
    public ProgressUpdate {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(jobName, "jobName");
      Objects.requireNonNull(progressJson, "progressJson");
      Objects.requireNonNull(at, "at");
    }
  }
}
