package dev.jobkit;

/**
 * Job parameters, state or output could not be read: malformed or mistyped JSON, an unknown JSON
 * field, or corrupted MessagePack. The message names the job, the path inside the value and, for
 * JSON, the line and column:
 *
 * <pre>file_copy: $.sources[2]: expected a string but found a number (line 3, column 14)</pre>
 */
public final class JobDecodeException extends JobException {
  private static final long serialVersionUID = 1L;

  private final String jobName;
  private final String path;
  private final String reason;
  private final int line;
  private final int column;

  /**
   * An exception for a problem at {@code path} (such as {@code $.sources[2]}); {@code line} and
   * {@code column} are 1-based, or 0 when not known (MessagePack input).
   */
  public JobDecodeException(
      String jobName, String path, String reason, int line, int column, Throwable cause) {
    super(format(jobName, path, reason, line, column), cause);
    this.jobName = jobName;
    this.path = path;
    this.reason = reason;
    this.line = line;
    this.column = column;
  }

  private static String format(String jobName, String path, String reason, int line, int column) {
    StringBuilder s = new StringBuilder();
    if (jobName != null && !jobName.isEmpty()) {
      s.append(jobName).append(": ");
    }
    // Paths and reasons quote the input (keys, bad values), which may hold line breaks.
    s.append(oneLine(path)).append(": ").append(oneLine(reason));
    if (line > 0) {
      s.append(" (line ").append(line).append(", column ").append(column).append(')');
    }
    return s.toString();
  }

  /** {@code s} with control characters escaped as in Java source, so the message is one line. */
  private static String oneLine(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isISOControl(c) && c != '\u2028' && c != '\u2029') {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out == null ? s : out.toString();
  }

  /** The same problem, attributed to the named job. */
  public JobDecodeException forJob(String name) {
    return new JobDecodeException(name, path, reason, line, column, getCause());
  }

  /** The job's name, or empty when not yet known. */
  public String jobName() {
    return jobName == null ? "" : jobName;
  }

  /** The JSON-path-like location of the problem, such as {@code $.sources[2]}. */
  public String path() {
    return path;
  }

  /** What was wrong, without the location. */
  public String reason() {
    return reason;
  }

  /** The 1-based line in JSON input, or 0. */
  public int line() {
    return line;
  }

  /** The 1-based column in JSON input, or 0. */
  public int column() {
    return column;
  }
}
