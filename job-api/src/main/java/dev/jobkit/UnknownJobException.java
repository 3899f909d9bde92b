package dev.jobkit;

import java.util.Set;

/** No job type with the given name is registered. */
public final class UnknownJobException extends JobException {
  private static final long serialVersionUID = 1L;

  private final String jobName;

  /** An exception for {@code jobName}, listing the names that are known. */
  public UnknownJobException(String jobName, Set<String> known) {
    this(
        jobName,
        "unknown job '"
            + jobName
            + "': no @Job with that name is on the class path"
            + knownNames(known));
  }

  private UnknownJobException(String jobName, String message) {
    super(message);
    this.jobName = jobName;
  }

  /** For a job object whose class has no registration; {@link #jobName()} is the class name. */
  static UnknownJobException forClass(Class<?> jobClass, Set<String> known) {
    return new UnknownJobException(
        jobClass.getName(),
        "job class "
            + jobClass.getName()
            + " is not registered: annotate it with @Job and compile it with job-processor on the"
            + " annotation processor path"
            + knownNames(known));
  }

  private static String knownNames(Set<String> known) {
    return known.isEmpty()
        ? " (no jobs are registered)"
        : " (known: " + String.join(", ", known) + ")";
  }

  /** The name that was asked for. */
  public String jobName() {
    return jobName;
  }
}
