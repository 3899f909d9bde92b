package dev.jobkit;

import java.util.Set;

/** No job type with the given name is registered. */
public final class UnknownJobException extends JobException {
  private static final long serialVersionUID = 1L;

  private final String jobName;

  /** An exception for {@code jobName}, listing the names that are known. */
  public UnknownJobException(String jobName, Set<String> known) {
    super(
        "unknown job '"
            + jobName
            + "': no @Job with that name is on the class path"
            + (known.isEmpty()
                ? " (no jobs are registered)"
                : " (known: " + String.join(", ", known) + ")"));
    this.jobName = jobName;
  }

  /** The name that was asked for. */
  public String jobName() {
    return jobName;
  }
}
