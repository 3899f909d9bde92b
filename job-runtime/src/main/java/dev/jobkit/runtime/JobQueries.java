package dev.jobkit.runtime;

import dev.jobkit.JobRegistry;
import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.AmbiguousJobIdException;
import dev.jobkit.runtime.internal.store.JobEvent;
import dev.jobkit.runtime.internal.store.JobFilter;
import dev.jobkit.runtime.internal.store.JobRow;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.LogLine;
import dev.jobkit.runtime.internal.store.Page;
import dev.jobkit.runtime.internal.store.ParentRow;
import dev.jobkit.runtime.internal.worker.States;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The read calls of a {@link JobManager} (and its cleanup): each translates the public query into
 * the store's terms and the stored rows into the public value types.
 */
final class JobQueries {
  private final JobStore store;
  private final Clock clock;
  private final JobRegistry registry;

  JobQueries(JobStore store, Clock clock, JobRegistry registry) {
    this.store = store;
    this.clock = clock;
    this.registry = registry;
  }

  Optional<JobDetail> detail(String id) {
    return store.get(id).map(this::detail);
  }

  private JobDetail detail(JobRow r) {
    String params = null;
    String state = null;
    String error = null;
    if (!registry.contains(r.name())) {
      error = "job type '" + r.name() + "' is not registered in this process";
    } else {
      try {
        params = registry.toJson(registry.fromMsgpack(r.name(), r.params()));
      } catch (RuntimeException e) {
        error = "the parameters do not decode as job '" + r.name() + "': " + e.getMessage();
      }
      if (r.state() != null) {
        try {
          state = registry.toJson(registry.fromMsgpack(r.name(), r.state()));
        } catch (RuntimeException e) {
          String msg =
              "the checkpoint does not decode as job '" + r.name() + "': " + e.getMessage();
          error = error == null ? msg : error + "; " + msg;
        }
      }
    }
    return new JobDetail(
        States.toInfo(r),
        Optional.ofNullable(params),
        Optional.ofNullable(state),
        Instant.ofEpochMilli(r.runAt()),
        r.timeoutMs() == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(r.timeoutMs())),
        Optional.ofNullable(r.idempotencyKey()),
        Optional.ofNullable(error));
  }

  Optional<JobInfo> job(String id) {
    return store.get(id).map(States::toInfo);
  }

  Optional<JobInfo> findByPrefix(String prefix) {
    try {
      return store.findByIdPrefix(prefix).map(States::toInfo);
    } catch (AmbiguousJobIdException e) {
      throw new AmbiguousJobPrefixException(e.prefix(), e.candidates());
    }
  }

  JobPage list(JobQuery query) {
    Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
    for (JobState s : query.states()) {
      statuses.add(JobStatus.valueOf(s.name()));
    }
    JobFilter filter =
        new JobFilter(
            statuses,
            query.name().map(Set::of).orElse(Set.of()),
            query.tag().orElse(null),
            query.queue().orElse(null),
            query.createdFrom().map(Instant::toEpochMilli).orElse(null),
            query.createdTo().map(Instant::toEpochMilli).orElse(null),
            query.text().orElse(null),
            query.tenant().orElse(null));
    Page<JobRow> page = store.list(filter, query.cursor().orElse(null), query.limit());
    return new JobPage(
        page.items().stream().map(States::toInfo).toList(), Optional.ofNullable(page.nextCursor()));
  }

  List<JobLogLine> logs(String id, LogQuery query) {
    List<JobLogLine> out = new ArrayList<>();
    for (LogLine l : store.logs(id, query.minLevel(), query.afterId(), query.limit())) {
      out.add(toInfo(l));
    }
    return List.copyOf(out);
  }

  List<JobEventInfo> events(String id) {
    List<JobEvent> stored = store.events(id);
    if (stored.isEmpty()) {
      return List.of();
    }
    // The job's name: read once more (events of a job deleted meanwhile keep its id as name).
    String name = store.get(id).map(JobRow::name).orElse(id);
    List<JobEventInfo> out = new ArrayList<>();
    for (JobEvent e : stored) {
      out.add(toInfo(e, name));
    }
    return List.copyOf(out);
  }

  static JobLogLine toInfo(LogLine l) {
    return new JobLogLine(
        l.id(),
        l.jobId(),
        Instant.ofEpochMilli(l.at()),
        l.level(),
        l.message(),
        l.attempt(),
        l.traceId());
  }

  static JobEventInfo toInfo(JobEvent e, String jobName) {
    return new JobEventInfo(
        e.id(),
        e.jobId(),
        jobName,
        Instant.ofEpochMilli(e.at()),
        JobEventInfo.Kind.valueOf(e.type().name()),
        Optional.ofNullable(e.from()).map(States::toPublic),
        Optional.ofNullable(e.to()).map(States::toPublic),
        Optional.ofNullable(e.detail()),
        Optional.ofNullable(e.actor()));
  }

  long cleanup(Duration olderThan, boolean dryRun) {
    if (olderThan.isNegative()) {
      throw new IllegalArgumentException("olderThan must not be negative, got " + olderThan);
    }
    return store.cleanup(clock.millis() - olderThan.toMillis(), dryRun);
  }

  // #12 dependencies
  List<JobParent> parents(String id) {
    List<JobParent> out = new ArrayList<>();
    for (ParentRow p : store.parents(id)) {
      out.add(
          new JobParent(
              p.parentId(),
              Optional.ofNullable(p.name()),
              Optional.ofNullable(p.status()).map(States::toPublic),
              OnParentFailure.valueOf(p.onFailure().name()),
              p.state().satisfied()));
    }
    return out;
  }
}
