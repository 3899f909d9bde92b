package dev.jobkit.examples.shell;

/** Thrown by {@link ShellJob} when the command ends with a non-zero exit code. */
public class ExitCodeException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /** An exception for the given exit code, with a message naming the command. */
  public ExitCodeException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** The command's exit code. */
  public int exitCode() {
    return exitCode;
  }
}
