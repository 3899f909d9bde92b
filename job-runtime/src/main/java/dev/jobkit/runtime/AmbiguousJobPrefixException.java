package dev.jobkit.runtime;

import dev.jobkit.JobException;
import java.util.List;

/** Thrown by {@link JobManager#findByPrefix} when an id prefix matches more than one job. */
public final class AmbiguousJobPrefixException extends JobException {
  private static final long serialVersionUID = 1L;

  private final String prefix;
  private final List<String> candidates;

  /** {@code prefix} matched at least the given {@code candidates}. */
  public AmbiguousJobPrefixException(String prefix, List<String> candidates) {
    super(
        "job id prefix '"
            + prefix
            + "' matches several jobs ("
            + String.join(", ", candidates)
            + ", ...); type more characters of the id");
    this.prefix = prefix;
    this.candidates = List.copyOf(candidates);
  }

  /** The prefix given. */
  public String prefix() {
    return prefix;
  }

  /** Some of the matching ids (not necessarily all). */
  public List<String> candidates() {
    return candidates;
  }
}
