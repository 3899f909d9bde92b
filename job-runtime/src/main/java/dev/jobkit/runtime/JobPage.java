package dev.jobkit.runtime;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of {@link JobManager#list(JobQuery)}, newest job first.
 *
 * @param jobs the jobs of this page
 * @param nextCursor pass to {@link JobQuery.Builder#cursor(String)} for the next page; empty on the
 *     last page
 */
public record JobPage(List<JobInfo> jobs, Optional<String> nextCursor) {

  /** Copies. */
  public JobPage {
    jobs = List.copyOf(jobs);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }
}
