package dev.jobkit;

/**
 * The work a {@link Job @Job} class does.
 *
 * <p>The runtime calls {@link #run} on a worker thread. A long-running job calls {@link
 * JobContext#checkInterrupt()} regularly so that cancel, pause, timeout and shutdown can take
 * effect, and {@link JobContext#checkpoint()} after each unit of work so that a restart resumes
 * from there.
 *
 * @param <O> the job's output type; use {@link Void} for a job without output
 */
@FunctionalInterface
public interface JobHandler<O> {

  /**
   * Runs the job, or resumes it when {@link JobContext#isResumed()} is true.
   *
   * @param ctx the running job's context: logging, progress, checkpoints and interruption
   * @return the job's output, recorded as JSON when the job completes; may be {@code null}
   * @throws Exception any failure; it is retried up to the job's maximum attempts unless it is a
   *     {@link NonRetryableException}
   */
  O run(JobContext ctx) throws Exception;
}
