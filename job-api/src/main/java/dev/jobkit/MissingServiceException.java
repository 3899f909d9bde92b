package dev.jobkit;

/**
 * A job needs a {@link Service service} that the manager's {@link dev.jobkit.spi.ServiceResolver}
 * does not have: thrown when a manager with workers opens (naming every job type and service
 * missing), and by an attempt whose service went away since.
 */
public class MissingServiceException extends JobException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message that names the job types and services. */
  public MissingServiceException(String message) {
    super(message);
  }
}
