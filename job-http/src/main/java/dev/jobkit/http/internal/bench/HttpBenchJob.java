package dev.jobkit.http.internal.bench;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.Progress;

/**
 * The benchmark's job: reports {@code steps} progress updates {@code delayMs} apart, each carrying
 * {@link System#nanoTime()} in its message so that a client in the same process can measure the
 * delay to it. Registered by the benchmark itself (not listed in the jar's services).
 */
@Job(name = "bench.http", description = "HTTP benchmark job")
public class HttpBenchJob implements JobHandler<Void> {
  /** Progress updates to report. */
  public int steps;

  /** Pause between them. */
  public long delayMs;

  /** For the generated codec. */
  public HttpBenchJob() {}

  @Override
  public Void run(JobContext ctx) throws InterruptedException {
    for (int i = 1; i <= steps; i++) {
      Thread.sleep(delayMs);
      ctx.progress(Progress.count(i, steps, "steps").withMessage(Long.toString(System.nanoTime())));
    }
    return null;
  }
}
