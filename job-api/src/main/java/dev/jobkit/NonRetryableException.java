package dev.jobkit;

/**
 * Thrown by a job to fail at once, without spending its remaining attempts: for problems a retry
 * cannot fix, such as invalid parameters.
 */
public class NonRetryableException extends JobException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public NonRetryableException(String message) {
    super(message);
  }

  /** An exception with a message and the underlying cause. */
  public NonRetryableException(String message, Throwable cause) {
    super(message, cause);
  }
}
