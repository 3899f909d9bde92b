package dev.jobkit.runtime;

import dev.jobkit.JobException;
import java.util.Objects;

/**
 * A template could not be saved, found or used. The one-line message names the template, the job
 * type and, for parameters that do not fit the type, the JSON path (and, when saving, the line and
 * column), and says what to do:
 *
 * <pre>
 * template 'nightly': test.copy: $.retries: expected a number but found a string (line 1, column 12)
 * </pre>
 */
public final class TemplateException extends JobException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The template's name is not valid. */
    INVALID_NAME,
    /** No template has the name. */
    UNKNOWN_TEMPLATE,
    /** The template's job type is not registered in this process. */
    UNKNOWN_JOB,
    /** The parameters (saved, or after the sets) do not fit the job type. */
    INVALID_PARAMETERS,
    /** A set names a field path that cannot be set. */
    INVALID_SET
  }

  private final Kind kind;
  private final String templateName;
  private final String jobName;
  private final String path;
  private final int line;
  private final int column;

  /**
   * An exception of {@code kind} about {@code templateName}; {@code jobName} and {@code path} may
   * be empty, {@code line} and {@code column} 0 when not known.
   */
  public TemplateException(
      Kind kind,
      String templateName,
      String jobName,
      String path,
      int line,
      int column,
      String message,
      Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.templateName = Objects.requireNonNull(templateName, "templateName");
    this.jobName = jobName == null ? "" : jobName;
    this.path = path == null ? "" : path;
    this.line = line;
    this.column = column;
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }

  /** The template's name as given. */
  public String templateName() {
    return templateName;
  }

  /** The job type concerned, or empty. */
  public String jobName() {
    return jobName;
  }

  /** The JSON path of the problem ({@code $.a.b}), or empty. */
  public String path() {
    return path;
  }

  /** The 1-based line in the JSON given to {@link Templates#save}, or 0. */
  public int line() {
    return line;
  }

  /** The 1-based column in the JSON given to {@link Templates#save}, or 0. */
  public int column() {
    return column;
  }
}
