package dev.jobkit.cli;

/**
 * The exit codes of {@code jobkit}, documented in {@code docs/cli.md} and in {@code jobkit --help}.
 * Plugins should use the same codes for the same kinds of failure.
 */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;

  /**
   * The job did not complete: {@code status --watch} saw it end in another state, {@code results}
   * found it not completed, or a control command was refused in the job's state.
   */
  public static final int JOB_NOT_COMPLETED = 1;

  /** Bad command line: unknown command or option, bad option value, ambiguous id prefix. */
  public static final int USAGE = 2;

  /** No job has the given id or id prefix. */
  public static final int NOT_FOUND = 3;

  /**
   * Bad input: unknown job name, malformed or mistyped JSON, JSON {@code null}, parameters or JSON
   * input over the size limits, unreadable file or class path.
   */
  public static final int BAD_INPUT = 4;

  /**
   * The database cannot be opened, read or written; for PostgreSQL also when the server cannot be
   * reached or refuses the login.
   */
  public static final int STORAGE = 5;

  /**
   * A quota of the tenant refused the submission (#14 tenants): too many waiting jobs, too many
   * submissions in the period, or too many stored bytes. Nothing was stored; trying again later may
   * succeed. The value is {@code EX_TEMPFAIL} of {@code sysexits.h}.
   */
  public static final int QUOTA_EXCEEDED = 75;

  /** A bug: an unexpected exception (rerun with {@code --verbose} for the stack trace). */
  public static final int INTERNAL = 70;

  private ExitCodes() {}
}
