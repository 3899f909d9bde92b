package dev.jobkit.runtime.engine;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/**
 * As {@link QuotaJob}, of a type with a limit (#12): one running per {@code host}; recorded in the
 * {@link QuotaJournal} under its tenant and under {@code host:HOST}.
 */
@Job(name = "test.quota-limited", concurrency = 1, concurrencyKey = "host")
public class QuotaLimitedJob implements JobHandler<String> {
  public String run;
  public String tenant;
  public String host;
  public String gate;

  public QuotaLimitedJob() {}

  QuotaLimitedJob(String run, String tenant, String host, String gate) {
    this.run = run;
    this.tenant = tenant;
    this.host = host;
    this.gate = gate;
  }

  @Override
  public String run(JobContext ctx) throws InterruptedException {
    QuotaJournal.start(run, tenant);
    QuotaJournal.start(run, "host:" + host);
    try {
      QuotaJob.hold(ctx, run, gate);
    } finally {
      QuotaJournal.end(run, "host:" + host);
      QuotaJournal.end(run, tenant);
    }
    return host;
  }
}
