package dev.jobkit.runtime.internal.store;

/**
 * One row of {@code jobkit_schedule_fires}: what happened to a slot of a schedule.
 *
 * @param id a time-sortable id ({@link JobIds})
 * @param schedule the schedule's name
 * @param slot the slot, epoch millis (for a trigger, when it was asked)
 * @param outcome FIRED, TRIGGERED or SKIPPED
 * @param jobId the job dispatched, or null
 * @param reason why a slot was skipped or fired late, or null
 * @param recordedAt when it was recorded, epoch millis
 */
public record ScheduleFireRow(
    String id,
    String schedule,
    long slot,
    String outcome,
    String jobId,
    String reason,
    long recordedAt) {

  /** This row naming another job (the one already stored under the slot's key). */
  public ScheduleFireRow withJobId(String id2) {
    return new ScheduleFireRow(id, schedule, slot, outcome, id2, reason, recordedAt);
  }
}
