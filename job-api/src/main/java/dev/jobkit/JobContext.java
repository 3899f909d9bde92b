package dev.jobkit;

import java.nio.file.Path;

/**
 * What a running job can see of, and say to, the runtime that runs it.
 *
 * <p>A context belongs to one attempt of one job and is used from the thread that called {@link
 * JobHandler#run}; {@link #log} and {@link #progress} may also be called from threads the job
 * starts.
 */
public interface JobContext {

  /** The job's id, unique across the database. */
  String id();

  /** The job's wire name, as given by {@link Job#name()}. */
  String name();

  /** The number of this attempt, starting at 1; it grows with each retry. */
  int attempt();

  /**
   * Whether this run continues an earlier, interrupted run: the job object then holds the state of
   * its last checkpoint rather than its original parameters.
   */
  boolean isResumed();

  /**
   * A directory private to this job for scratch files; created on first call and kept until the job
   * is cleaned up.
   */
  Path dataDir();

  /** Appends a line to the job's log at {@link LogLevel#INFO}. */
  default void log(String message) {
    log(LogLevel.INFO, message);
  }

  /** Appends a line to the job's log at the given level. */
  void log(LogLevel level, String message);

  /**
   * Reports progress. Listeners in this process see it at once; the database gets the latest value
   * at a bounded rate, so calling this for every item is cheap.
   */
  void progress(Progress progress);

  /**
   * The safe point where cancel, pause, timeout and shutdown take effect: throws {@link
   * JobInterruptedException} if the job must stop. The runtime may also take an automatic
   * checkpoint here.
   *
   * @throws JobInterruptedException if the job must stop now; let it propagate
   */
  void checkInterrupt();

  /**
   * Saves the job object's current state atomically, so that a restart resumes from here. Call it
   * after a unit of work is complete and the fields describe exactly what is left to do.
   *
   * @throws JobInterruptedException if this worker no longer owns the job (its lease was lost)
   */
  void checkpoint();

  // #12 dependencies

  /**
   * The ids of the jobs this job waited for, in the order they were given at dispatch; empty for a
   * job dispatched without parents. The default implementation returns an empty list.
   */
  default java.util.List<String> parentIds() {
    return java.util.List.of();
  }

  /**
   * The outputs of this job's parents, in the order of {@link #parentIds()} (a fan-in gets one per
   * parent), each decoded from its stored JSON into the parent's output type. An entry is null when
   * that parent returned null, or did not complete (it failed and its edge let this job run
   * anyway), or was deleted. The default implementation returns an empty list.
   *
   * @param outputType the output type of the parents, such as {@code String.class}
   * @throws ClassCastException naming the parent, if a parent's output is not an {@code outputType}
   */
  default <T> java.util.List<T> parentOutputs(Class<T> outputType) {
    return java.util.List.of();
  }

  /**
   * The output of one parent, decoded as {@link #parentOutputs} does; null when it returned null,
   * did not complete, or was deleted.
   *
   * @throws IllegalArgumentException if {@code parentId} is not a parent of this job
   * @throws ClassCastException if its output is not an {@code outputType}
   */
  default <T> T parentOutput(String parentId, Class<T> outputType) {
    throw new IllegalArgumentException(
        "job " + id() + " has no parent " + parentId + "; its parents are " + parentIds());
  }

  // #12 batches

  /**
   * The id of the batch this job belongs to, as a member or as one of its callbacks, or null for a
   * job in no batch. A callback reads the batch's counts and state with {@code
   * JobManager.batches().get(id)} (or {@code GET /api/v1/batches/{id}}). Read once per attempt. The
   * default implementation returns null.
   */
  default String batchId() {
    return null;
  }
}
