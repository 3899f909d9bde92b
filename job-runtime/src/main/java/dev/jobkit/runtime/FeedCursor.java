package dev.jobkit.runtime;

/**
 * A position in the {@link JobFeed}: every stored event with an id up to {@code eventId} and every
 * log line with an id up to {@code logId} is behind it. Written as {@code "E.L"} (for example an
 * SSE event id), read back with {@link #parse(String)}.
 *
 * @param eventId the last event id behind the cursor, 0 for the start
 * @param logId the last log line id behind the cursor, 0 for the start
 */
public record FeedCursor(long eventId, long logId) {

  /** The start of the feed: everything stored is ahead of it. */
  public static final FeedCursor START = new FeedCursor(0, 0);

  /** Validates. */
  public FeedCursor {
    if (eventId < 0 || logId < 0) {
      throw new IllegalArgumentException(
          "feed cursor ids must not be negative, got " + eventId + "." + logId);
    }
  }

  /**
   * Reads a cursor written by {@link #toString()}.
   *
   * @throws IllegalArgumentException if {@code s} is not two non-negative numbers joined by a dot
   */
  public static FeedCursor parse(String s) {
    if (s != null) {
      int dot = s.indexOf('.');
      if (dot > 0 && dot < s.length() - 1 && dot < 20 && s.length() - dot <= 20) {
        String e = s.substring(0, dot);
        String l = s.substring(dot + 1);
        if (e.chars().allMatch(Character::isDigit) && l.chars().allMatch(Character::isDigit)) {
          try {
            return new FeedCursor(Long.parseLong(e), Long.parseLong(l));
          } catch (NumberFormatException tooLarge) {
            // reported below
          }
        }
      }
    }
    String shown = s == null ? "null" : s.length() > 40 ? s.substring(0, 40) + "..." : s;
    throw new IllegalArgumentException(
        "feed cursor '"
            + shown
            + "' is not valid: expected two numbers joined by a dot, such as '120.3400', as given"
            + " by an earlier event's id");
  }

  /** {@code "eventId.logId"}, which {@link #parse(String)} reads. */
  @Override
  public String toString() {
    return eventId + "." + logId;
  }
}
