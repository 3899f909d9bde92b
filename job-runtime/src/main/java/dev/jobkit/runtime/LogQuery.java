package dev.jobkit.runtime;

import dev.jobkit.LogLevel;
import java.util.Objects;

/**
 * Which of a job's log lines {@link JobManager#logs(String, LogQuery)} returns: a least level, a
 * position to read on from and the most lines to return. Immutable; each method returns a new
 * query.
 *
 * <pre>{@code
 * List<JobLogLine> page = jobs.logs(id, LogQuery.all().minLevel(LogLevel.INFO).limit(100));
 * // read on from the last line seen:
 * List<JobLogLine> next = jobs.logs(id, LogQuery.all().after(page.get(page.size() - 1).id()));
 * }</pre>
 */
public final class LogQuery {
  /** The most lines returned when no limit is set. */
  public static final int DEFAULT_LIMIT = 1_000;

  /** The largest limit. */
  public static final int MAX_LIMIT = 100_000;

  private static final LogQuery ALL = new LogQuery(LogLevel.DEBUG, 0, DEFAULT_LIMIT);

  private final LogLevel minLevel;
  private final long afterId;
  private final int limit;

  private LogQuery(LogLevel minLevel, long afterId, int limit) {
    this.minLevel = minLevel;
    this.afterId = afterId;
    this.limit = limit;
  }

  /**
   * Lines of every level from the start of the log, at most {@value #DEFAULT_LIMIT}: what {@link
   * JobManager#logs(String)} returns.
   */
  public static LogQuery all() {
    return ALL;
  }

  /** This query for lines at {@code level} or above only. */
  public LogQuery minLevel(LogLevel level) {
    return new LogQuery(Objects.requireNonNull(level, "LogQuery.minLevel: level"), afterId, limit);
  }

  /**
   * This query for lines after the line with id {@code lineId} ({@link JobLogLine#id()}), to read
   * on from the last line seen; 0 reads from the start.
   *
   * @throws IllegalArgumentException if {@code lineId} is negative
   */
  public LogQuery after(long lineId) {
    if (lineId < 0) {
      throw new IllegalArgumentException(
          "LogQuery.after: a log line id is 0 (the start) or more, got " + lineId);
    }
    return new LogQuery(minLevel, lineId, limit);
  }

  /**
   * This query for at most {@code maxLines} lines, 1 to {@value #MAX_LIMIT}.
   *
   * @throws IllegalArgumentException if {@code maxLines} is out of that range
   */
  public LogQuery limit(int maxLines) {
    if (maxLines < 1 || maxLines > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "LogQuery.limit must be 1 to " + MAX_LIMIT + ", got " + maxLines);
    }
    return new LogQuery(minLevel, afterId, maxLines);
  }

  /** The least level of the lines returned; {@link LogLevel#DEBUG} (every line) by default. */
  public LogLevel minLevel() {
    return minLevel;
  }

  /** Lines with an id greater than this are returned; 0 (from the start) by default. */
  public long afterId() {
    return afterId;
  }

  /** The most lines returned; {@value #DEFAULT_LIMIT} by default. */
  public int limit() {
    return limit;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogQuery q
        && q.minLevel == minLevel
        && q.afterId == afterId
        && q.limit == limit;
  }

  @Override
  public int hashCode() {
    return Objects.hash(minLevel, afterId, limit);
  }

  @Override
  public String toString() {
    return "LogQuery[minLevel=" + minLevel + ", afterId=" + afterId + ", limit=" + limit + "]";
  }
}
