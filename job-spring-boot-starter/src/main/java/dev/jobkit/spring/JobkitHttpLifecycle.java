package dev.jobkit.spring;

import dev.jobkit.http.JobkitServer;
import dev.jobkit.runtime.JobManager;
import org.springframework.context.SmartLifecycle;

/**
 * jobkit's HTTP API and dashboard ({@code jobkit.http.enabled=true}) on a server of its own,
 * started after the workers and stopped before them.
 */
final class JobkitHttpLifecycle implements SmartLifecycle {
  private final JobManager jobs;
  private final JobkitProperties.Http settings;
  private volatile JobkitServer server;

  JobkitHttpLifecycle(JobManager jobs, JobkitProperties.Http settings) {
    this.jobs = jobs;
    this.settings = settings;
  }

  @Override
  public void start() {
    server =
        JobkitServer.builder(jobs)
            .bind(settings.getBind())
            .port(settings.getPort())
            .basePath(settings.getPath())
            .readOnly(settings.isReadOnly())
            .start();
  }

  @Override
  public void stop() {
    JobkitServer s = server;
    server = null;
    if (s != null) {
      s.close();
    }
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }

  @Override
  public int getPhase() {
    return JobkitLifecycle.PHASE + 1;
  }

  /** The running server, or null; for tests and the application's own use. */
  JobkitServer server() {
    return server;
  }
}
