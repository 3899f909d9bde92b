package dev.jobkit.runtime;

import dev.jobkit.JobRegistry;
import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.FinishedCount;
import dev.jobkit.runtime.internal.store.JobFilter;
import dev.jobkit.runtime.internal.store.JobRow;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.Page;
import dev.jobkit.runtime.internal.store.SharedJobStore;
import dev.jobkit.runtime.internal.store.StatusCount;
import dev.jobkit.runtime.internal.worker.Engine;
import dev.jobkit.runtime.internal.worker.RetentionTask;
import dev.jobkit.runtime.internal.worker.States;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a {@link JobManager} reports about its jobs and itself: counts and run times, health, the
 * size of its storage and the registered job types.
 */
final class JobStatistics {
  private final Engine engine;
  private final JobRegistry registry;
  private final DispatchDefaults defaults;

  JobStatistics(Engine engine, JobRegistry registry, DispatchDefaults defaults) {
    this.engine = engine;
    this.registry = registry;
    this.defaults = defaults;
  }

  JobStats stats(String tenant) {
    Map<JobState, Long> byState = new EnumMap<>(JobState.class);
    Map<String, Map<JobState, Long>> byName = new TreeMap<>();
    for (StatusCount c : engine.jobStore().countByNameAndStatus(tenant)) {
      JobState s = States.toPublic(c.status());
      byState.merge(s, c.count(), Long::sum);
      byName
          .computeIfAbsent(c.name(), k -> new EnumMap<>(JobState.class))
          .merge(s, c.count(), Long::sum);
    }
    Page<JobRow> done =
        engine
            .jobStore()
            .list(
                JobFilter.all().withStatuses(Set.of(JobStatus.COMPLETED)).withTenant(tenant),
                null,
                JobStats.DURATION_SAMPLE_LIMIT);
    long[] ms =
        done.items().stream()
            .filter(r -> r.startedAt() > 0 && r.finishedAt() >= r.startedAt())
            .mapToLong(r -> r.finishedAt() - r.startedAt())
            .sorted()
            .toArray();
    Optional<Duration> mean =
        ms.length == 0
            ? Optional.empty()
            : Optional.of(Duration.ofMillis(Math.round(Arrays.stream(ms).average().orElseThrow())));
    // Nearest rank: the smallest value with at least 95 % of the sample at or below it.
    Optional<Duration> p95 =
        ms.length == 0
            ? Optional.empty()
            : Optional.of(Duration.ofMillis(ms[(int) Math.ceil(0.95 * ms.length) - 1]));
    long completed = byState.getOrDefault(JobState.COMPLETED, 0L);
    long ended =
        completed
            + byState.getOrDefault(JobState.FAILED, 0L)
            + byState.getOrDefault(JobState.TIMED_OUT, 0L);
    OptionalDouble rate =
        ended == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) completed / ended);
    return new JobStats(byState, byName, ms.length, mean, p95, rate);
  }

  List<ThroughputBucket> throughput(Duration window, Duration bucket, long now, String tenant) {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(bucket, "bucket");
    if (bucket.isNegative() || bucket.isZero() || bucket.toMillis() == 0) {
      throw new IllegalArgumentException("throughput bucket must be at least 1 ms, got " + bucket);
    }
    if (window.compareTo(bucket) < 0) {
      throw new IllegalArgumentException(
          "throughput window " + window + " must not be shorter than its bucket " + bucket);
    }
    long b = bucket.toMillis();
    long n = (window.toMillis() + b - 1) / b;
    if (n > 10_000) {
      throw new IllegalArgumentException(
          "throughput window "
              + window
              + " holds "
              + n
              + " buckets of "
              + bucket
              + "; at most 10000 are allowed, use larger buckets");
    }
    long end = Math.floorDiv(now, b) * b + b; // the current bucket is the last one
    long start = end - n * b;
    long[] completed = new long[(int) n];
    long[] failed = new long[(int) n];
    for (FinishedCount c : engine.jobStore().finishedCounts(start, end, b, tenant)) {
      if (c.bucket() < 0 || c.bucket() >= n) {
        continue;
      }
      if (c.status() == JobStatus.COMPLETED) {
        completed[(int) c.bucket()] += c.count();
      } else {
        failed[(int) c.bucket()] += c.count();
      }
    }
    List<ThroughputBucket> out = new ArrayList<>((int) n);
    for (int i = 0; i < n; i++) {
      out.add(new ThroughputBucket(Instant.ofEpochMilli(start + i * b), completed[i], failed[i]));
    }
    return List.copyOf(out);
  }

  Map<String, Long> queueDepths(String tenant) {
    return Collections.unmodifiableMap(new TreeMap<>(engine.jobStore().queueDepths(tenant)));
  }

  List<NodeInfo> nodes() {
    if (!(engine.jobStore() instanceof SharedJobStore shared)) {
      return List.of();
    }
    long now = shared.databaseTimeMillis();
    return shared.nodes().stream()
        .map(
            n ->
                new NodeInfo(
                    n.id(),
                    n.host(),
                    n.queues().isEmpty() ? List.of() : List.of(n.queues().split(",")),
                    Instant.ofEpochMilli(n.startedAt()),
                    Instant.ofEpochMilli(n.heartbeatAt()),
                    now - n.heartbeatAt() <= n.leaseMs()))
        .toList();
  }

  StorageInfo storageInfo() {
    dev.jobkit.runtime.internal.store.StorageInfo i = engine.jobStore().storageInfo();
    return new StorageInfo(
        i.location(), i.sizeBytes(), i.pageSize(), i.pageCount(), i.freePages(), i.walBytes());
  }

  MaintenanceInfo maintenance(long now) {
    JobStore store = engine.jobStore();
    String vacuum = store.vacuumMode().name().toLowerCase(java.util.Locale.ROOT);
    return store
        .maintenance(RetentionTask.TASK)
        .map(
            m ->
                new MaintenanceInfo(
                    Optional.ofNullable(m.settings()),
                    Optional.ofNullable(m.runBy()),
                    m.startedAt() == 0
                        ? Optional.empty()
                        : Optional.of(Instant.ofEpochMilli(m.startedAt())),
                    m.finishedAt() == 0
                        ? Optional.empty()
                        : Optional.of(Instant.ofEpochMilli(m.finishedAt())),
                    m.deleted().completed(),
                    m.deleted().failed() + m.deleted().cancelled() + m.deleted().timedOut(),
                    m.freedBytes(),
                    Optional.ofNullable(m.error()),
                    m.totalDeleted(),
                    m.leaseOwner() != null && m.leaseExpiresAt() >= now
                        ? Optional.of(m.leaseOwner())
                        : Optional.empty(),
                    vacuum))
        .orElseGet(
            () ->
                new MaintenanceInfo(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    0,
                    0,
                    0,
                    Optional.empty(),
                    0,
                    Optional.empty(),
                    vacuum));
  }

  long compact() {
    JobStore store = engine.jobStore();
    long before = store.storageInfo().sizeBytes();
    store.enableIncrementalVacuum();
    // Each step is its own short write transaction, so workers get the lock in between.
    long freed;
    do {
      freed = store.incrementalVacuum(4096);
    } while (freed >= 4096);
    return Math.max(0, before - store.storageInfo().sizeBytes());
  }

  Health health() {
    String dbError = null;
    try {
      engine.jobStore().storageInfo();
    } catch (RuntimeException e) {
      dbError = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }
    return new Health(
        dbError == null,
        Optional.ofNullable(dbError),
        engine.workersAlive(),
        engine.runningCount(),
        engine.owner());
  }

  List<JobType> jobTypes() {
    return registry.registrations().stream()
        .map(
            r ->
                new JobType(
                    r.name(),
                    r.description(),
                    r.schema(),
                    r.outputSchema(),
                    r.outputType(),
                    r.resumable(),
                    r.version(),
                    r.queue(),
                    r.priority(),
                    defaults.maxAttempts(r),
                    r.timeout()))
        .sorted(Comparator.comparing(JobType::name))
        .toList();
  }
}
