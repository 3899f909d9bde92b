package dev.jobkit.runtime;

import dev.jobkit.runtime.internal.store.JobIds;

/**
 * A position in the {@link JobFeed}: every stored event with an id up to {@code eventId}, every log
 * line with an id up to {@code logId} and the dispatch of every job with an id up to {@code jobId}
 * are behind it. Written as {@code "E.L.J"} (for example an SSE event id), read back with {@link
 * #parse(String)}; the two-part form {@code "E.L"} of earlier versions is still read (see {@link
 * #jobId()}).
 *
 * @param eventId the last event id behind the cursor, 0 for the start
 * @param logId the last log line id behind the cursor, 0 for the start
 * @param jobId the last job id whose dispatch is behind the cursor ({@code "0"} for the start: job
 *     ids sort by their creation time, so this is a time as much as an id); or null when not known,
 *     as in a two-part cursor: then a {@link JobFeed.Tail} started from it delivers the dispatches
 *     from its own start on (minus {@link JobFeed#DISPATCH_SETTLE}), as one started from {@link
 *     JobFeed#head()}
 */
public record FeedCursor(long eventId, long logId, String jobId) {

  /** The start of the feed: everything stored is ahead of it. */
  public static final FeedCursor START = new FeedCursor(0, 0, "0");

  /** Validates. */
  public FeedCursor {
    if (eventId < 0 || logId < 0) {
      throw new IllegalArgumentException(
          "feed cursor ids must not be negative, got " + eventId + "." + logId);
    }
    if (jobId != null && !isJobPart(jobId)) {
      throw new IllegalArgumentException(
          "feed cursor job part '"
              + shown(jobId)
              + "' is not valid: expected 1 to 26 upper-case characters of a job id");
    }
  }

  /** A cursor without a job part: see {@link #jobId()}. */
  public FeedCursor(long eventId, long logId) {
    this(eventId, logId, null);
  }

  /**
   * Reads a cursor written by {@link #toString()}.
   *
   * @throws IllegalArgumentException if {@code s} is not two non-negative numbers joined by a dot,
   *     optionally followed by a dot and a job id
   */
  public static FeedCursor parse(String s) {
    if (s != null) {
      String[] parts = s.split("\\.", -1);
      if ((parts.length == 2 || parts.length == 3)
          && isNumber(parts[0])
          && isNumber(parts[1])
          && (parts.length == 2 || isJobPart(parts[2]))) {
        try {
          return new FeedCursor(
              Long.parseLong(parts[0]),
              Long.parseLong(parts[1]),
              parts.length == 3 ? parts[2] : null);
        } catch (NumberFormatException tooLarge) {
          // reported below
        }
      }
    }
    throw new IllegalArgumentException(
        "feed cursor '"
            + shown(s)
            + "' is not valid: expected two numbers and a job id joined by dots, such as"
            + " '120.3400.01M84C27J82P29FKJ0YA4MW632', as given by an earlier event's id");
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.length() < 20 && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static boolean isJobPart(String s) {
    return !s.isEmpty() && s.length() <= JobIds.LENGTH && JobIds.isIdChars(s);
  }

  private static String shown(String s) {
    return s == null ? "null" : s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  /** {@code "eventId.logId.jobId"}, or {@code "eventId.logId"} without a job part. */
  @Override
  public String toString() {
    return jobId == null ? eventId + "." + logId : eventId + "." + logId + "." + jobId;
  }
}
