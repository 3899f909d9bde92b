package dev.jobkit.spring;

import dev.jobkit.runtime.JobManager;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the manager's workers when the application context has started (every bean a job may need
 * exists by then) and stops them when it stops: running jobs are asked to stop, checkpoint and give
 * their claims back within {@code jobkit.shutdown-grace}. Stops after the web server's graceful
 * shutdown, so requests in flight can still dispatch.
 */
final class JobkitLifecycle implements SmartLifecycle {
  /** Below the web server's phases: started before it, stopped after it. */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private final JobManager jobs;
  private volatile boolean running;

  JobkitLifecycle(JobManager jobs) {
    this.jobs = jobs;
  }

  @Override
  public void start() {
    jobs.start();
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    jobs.close();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
