package dev.jobkit.runtime.engine;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/**
 * A job of tenant {@code tenant} recorded in the {@link QuotaJournal} of run {@code run}: it waits
 * for gate {@code gate}, or, without one, a few milliseconds (on a latch nobody opens).
 */
@Job(name = "test.quota")
public class QuotaJob implements JobHandler<String> {
  public String run;
  public String tenant;
  public String gate;

  public QuotaJob() {}

  QuotaJob(String run, String tenant, String gate) {
    this.run = run;
    this.tenant = tenant;
    this.gate = gate;
  }

  @Override
  public String run(JobContext ctx) throws InterruptedException {
    QuotaJournal.start(run, tenant);
    try {
      hold(ctx, run, gate);
    } finally {
      QuotaJournal.end(run, tenant);
    }
    return tenant;
  }

  /** Waits for {@code gate}, or briefly without one. */
  static void hold(JobContext ctx, String run, String gate) throws InterruptedException {
    if (gate == null) {
      Gates.awaitBriefly(run + ".never");
      return;
    }
    while (!Gates.awaitBriefly(gate)) {
      ctx.checkInterrupt();
    }
  }
}
