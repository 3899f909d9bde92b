package dev.jobkit.runtime;

import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.AmbiguousJobIdException;
import dev.jobkit.runtime.internal.store.JobEvent;
import dev.jobkit.runtime.internal.store.JobFilter;
import dev.jobkit.runtime.internal.store.JobRow;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.LogLine;
import dev.jobkit.runtime.internal.store.Page;
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

  JobQueries(JobStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
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
            query.createdTo().map(Instant::toEpochMilli).orElse(null));
    Page<JobRow> page = store.list(filter, query.cursor().orElse(null), query.limit());
    return new JobPage(
        page.items().stream().map(States::toInfo).toList(), Optional.ofNullable(page.nextCursor()));
  }

  List<JobLogLine> logs(String id, LogQuery query) {
    List<JobLogLine> out = new ArrayList<>();
    for (LogLine l : store.logs(id, query.minLevel(), query.afterId(), query.limit())) {
      out.add(
          new JobLogLine(
              l.id(), Instant.ofEpochMilli(l.at()), l.level(), l.message(), l.attempt()));
    }
    return List.copyOf(out);
  }

  List<JobEventInfo> events(String id) {
    List<JobEventInfo> out = new ArrayList<>();
    for (JobEvent e : store.events(id)) {
      out.add(
          new JobEventInfo(
              e.id(),
              Instant.ofEpochMilli(e.at()),
              JobEventInfo.Kind.valueOf(e.type().name()),
              Optional.ofNullable(e.from()).map(States::toPublic),
              Optional.ofNullable(e.to()).map(States::toPublic),
              Optional.ofNullable(e.detail())));
    }
    return List.copyOf(out);
  }

  long cleanup(Duration olderThan, boolean dryRun) {
    if (olderThan.isNegative()) {
      throw new IllegalArgumentException("olderThan must not be negative, got " + olderThan);
    }
    return store.cleanup(clock.millis() - olderThan.toMillis(), dryRun);
  }
}
