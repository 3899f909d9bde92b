package dev.jobkit;

/**
 * The base of jobkit's unchecked exceptions. Messages say what happened, to which job, and what to
 * do.
 */
public class JobException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public JobException(String message) {
    super(message);
  }

  /** An exception with a message and a cause. */
  public JobException(String message, Throwable cause) {
    super(message, cause);
  }
}
