package dev.jobkit;

/** The registry could not be built, for example because two classes claim the same job name. */
public final class JobRegistryException extends JobException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message that says how to fix the class path. */
  public JobRegistryException(String message) {
    super(message);
  }

  /** An exception with a message and a cause. */
  public JobRegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
