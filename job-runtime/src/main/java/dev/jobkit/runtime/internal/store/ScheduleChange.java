package dev.jobkit.runtime.internal.store;

import java.util.List;

/**
 * What one transaction on a schedule writes, as decided by a {@link Decision} from the row it read
 * under a lock.
 *
 * @param row the row to store (inserted or updated), or null to leave it as it is
 * @param delete whether to delete the schedule and its history (with a {@code row}: before storing
 *     that row and {@code fires} afresh, which replaces the schedule in one transaction)
 * @param jobs jobs to insert in the same transaction (fired slots, under their slot keys)
 * @param fires history rows to add
 */
public record ScheduleChange(
    ScheduleRow row, boolean delete, List<NewJob> jobs, List<ScheduleFireRow> fires) {

  /** No change. */
  public static final ScheduleChange NONE = new ScheduleChange(null, false, List.of(), List.of());

  /** Copies. */
  public ScheduleChange {
    jobs = List.copyOf(jobs);
    fires = List.copyOf(fires);
  }

  /** Stores {@code row}, nothing else. */
  public static ScheduleChange store(ScheduleRow row) {
    return new ScheduleChange(row, false, List.of(), List.of());
  }

  /** Decides a change from the schedule as stored. */
  @FunctionalInterface
  public interface Decision {
    /**
     * @param current the schedule, read under a row lock; null if there is none
     * @param lastJobRunning whether the job of its last fire exists and has not ended
     */
    ScheduleChange decide(ScheduleRow current, boolean lastJobRunning);
  }

  /**
   * The result of a change.
   *
   * @param row the schedule as stored afterwards, or null if there is none
   * @param inserted one result per job of the change (created, or the id already under its key)
   */
  public record Result(ScheduleRow row, List<InsertResult> inserted) {}
}
