package dev.jobkit.runtime.engine;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/**
 * Tells its {@link Recorder} which object runs each attempt, and fails the first {@code failTimes}.
 * The recorder is a plain transient field: {@link JobServicesTest} registers this job through a
 * registration that declares it a service (a generated one with {@code @Service} would be listed in
 * META-INF/services and fail every other test's manager, which has no services).
 */
@Job(name = "test.recorder")
public class RecorderJob implements JobHandler<Integer> {
  public int failTimes;

  transient Recorder recorder;

  @Override
  public Integer run(JobContext ctx) {
    recorder.seen(this);
    if (ctx.attempt() <= failTimes) {
      throw new IllegalStateException("attempt " + ctx.attempt() + " fails");
    }
    return ctx.attempt();
  }

  /** A service that records the job objects it was used by. */
  interface Recorder {
    void seen(RecorderJob job);
  }
}
