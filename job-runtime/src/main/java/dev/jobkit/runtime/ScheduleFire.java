package dev.jobkit.runtime;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one slot of a schedule: from {@link Schedules#history}.
 *
 * @param slot the slot's time (for a trigger, when it was asked)
 * @param outcome whether it fired, was triggered by hand, or was skipped
 * @param jobId the job it dispatched, for a fired or triggered slot
 * @param reason why it was skipped or fired late, or who triggered it; null for a slot on time
 * @param recordedAt when it was recorded
 */
public record ScheduleFire(
    Instant slot, Outcome outcome, Optional<String> jobId, String reason, Instant recordedAt) {

  /** Checks its arguments. */
  public ScheduleFire {
    Objects.requireNonNull(slot, "slot");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(recordedAt, "recordedAt");
  }

  /** The outcome of a slot. */
  public enum Outcome {
    /** The slot fired and dispatched its job. */
    FIRED,
    /** Someone fired the schedule by hand ({@link Schedules#trigger}). */
    TRIGGERED,
    /** The slot did not fire; the reason says why (misfire, overlap, paused). */
    SKIPPED
  }
}
