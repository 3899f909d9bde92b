package dev.jobkit.runtime.internal.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * A cron expression in a zone; see {@link Trigger#cron} for the daylight-saving rules.
 *
 * <p>The search walks the timeline in segments of constant UTC offset (between two transitions of
 * the zone). Within a segment local time runs monotonically, so the first match there is the cron's
 * next local match, taken at the segment's offset. Two corrections come from the transition that
 * opened the segment: after a fall-back, the repeated local times are skipped unless they fire
 * twice; after a spring-forward, the skipped local times fire at {@code local - offsetBefore} (what
 * {@link java.time.ZonedDateTime#ofLocal} gives), which lands early in this segment and may be
 * earlier than its first ordinary match.
 */
record CronTrigger(CronExpression cron, ZoneId zone, boolean fallBackBoth) implements Trigger {

  @Override
  public Instant next(Instant after) {
    ZoneRules rules = zone.getRules();
    boolean bothPasses = fallBackBoth || cron.everyHour();
    long horizon = after.atOffset(ZoneOffset.UTC).plusYears(5).toEpochSecond();
    // Fires are whole seconds: the first candidate is the first whole second after `after`.
    long start = after.getEpochSecond() + 1;
    Long pending = null; // a gap fire beyond its (very short) segment, not yet returned
    while (start < horizon) {
      Instant startInstant = Instant.ofEpochSecond(start);
      ZoneOffset offset = rules.getOffset(startInstant);
      ZoneOffsetTransition opened = rules.previousTransition(Instant.ofEpochSecond(start, 1));
      ZoneOffsetTransition closes = rules.nextTransition(startInstant);
      long end = closes == null ? horizon : Math.min(closes.toEpochSecond(), horizon);

      LocalDateTime from = LocalDateTime.ofEpochSecond(start, 0, offset);
      if (opened != null && opened.isOverlap() && !bothPasses) {
        // The local times from dateTimeAfter to dateTimeBefore already passed once, before the
        // transition; their second occurrence does not fire.
        if (from.isBefore(opened.getDateTimeBefore())) {
          from = opened.getDateTimeBefore();
        }
      }
      Long best = pending;
      LocalDateTime match = cron.nextMatch(from, LocalDateTime.ofEpochSecond(end, 0, offset));
      if (match != null) {
        best = min(best, match.toEpochSecond(offset));
      }
      if (opened != null && opened.isGap()) {
        ZoneOffset before = opened.getOffsetBefore();
        LocalDateTime gapFrom = LocalDateTime.ofEpochSecond(start, 0, before);
        if (gapFrom.isBefore(opened.getDateTimeBefore())) {
          gapFrom = opened.getDateTimeBefore();
        }
        LocalDateTime skipped = cron.nextMatch(gapFrom, opened.getDateTimeAfter());
        if (skipped != null) {
          best = min(best, skipped.toEpochSecond(before));
        }
      }
      if (best != null && best < end) {
        return Instant.ofEpochSecond(best);
      }
      pending = best;
      start = end;
    }
    return pending != null && pending < horizon ? Instant.ofEpochSecond(pending) : null;
  }

  private static Long min(Long a, long b) {
    return a == null || b < a ? b : a;
  }
}
