package dev.jobkit.runtime.engine;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/**
 * One running per {@code host} (#12 limits, declared on {@code @Job}); waits for gate {@code gate}.
 */
@Job(name = "test.limited", concurrency = 1, concurrencyKey = "host")
public class LimitedJob implements JobHandler<String> {
  public String host;
  public String gate;

  public LimitedJob() {}

  LimitedJob(String host, String gate) {
    this.host = host;
    this.gate = gate;
  }

  @Override
  public String run(JobContext ctx) throws InterruptedException {
    Gates.open(gate + ".started");
    while (!Gates.awaitBriefly(gate)) {
      ctx.checkInterrupt();
    }
    return host;
  }
}
