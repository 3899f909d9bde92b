package test;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.Service;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;

@Job(name = "welcome", description = "Welcomes a user")
public class Welcome implements JobHandler<Void> {
  /** Whom to welcome. */
  public String userId;

  /** Extra values for the welcome text, such as {@code {"points": 3}}. */
  public Map<String, Integer> extras;

  @Service transient Executor executor;

  @Service("utc")
  transient Clock clock;

  /** Not a service: transient fields stay the job's own business. */
  transient int retries;

  @Override
  public Void run(JobContext ctx) {
    executor.execute(() -> {});
    return null;
  }
}
