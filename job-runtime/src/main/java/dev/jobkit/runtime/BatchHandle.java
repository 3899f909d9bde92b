package dev.jobkit.runtime;

import java.util.List;

/**
 * A dispatched batch (#12 batches): its id and the handles of its members, in the order they were
 * added. Read its counts and progress with {@link #info()}.
 */
public final class BatchHandle {
  private final JobManager manager;
  private final String id;
  private final List<JobHandle<?>> members;

  BatchHandle(JobManager manager, String id, List<JobHandle<?>> members) {
    this.manager = manager;
    this.id = id;
    this.members = List.copyOf(members);
  }

  /** The batch's id. */
  public String id() {
    return id;
  }

  /** The members' handles, in the order of {@link JobBatch#add}. */
  public List<JobHandle<?>> members() {
    return members;
  }

  /** The batch as stored now: state, counts, progress, ETA. */
  public BatchInfo info() {
    return manager
        .batches()
        .get(id)
        .orElseThrow(() -> new IllegalStateException("batch " + id + " is no longer stored"));
  }

  @Override
  public String toString() {
    return "batch " + id + " (" + members.size() + " members)";
  }
}
