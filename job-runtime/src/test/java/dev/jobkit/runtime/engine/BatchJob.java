package dev.jobkit.runtime.engine;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.NonRetryableException;
import dev.jobkit.Progress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A member or callback of a batch (#12 batches): counts its runs by name in {@link #RUNS}, records
 * the batch id its context gives in {@link #BATCH_OF}, fails (non-retryable) while its name is in
 * {@link #FAILING}, and, with a {@code gate}, reports 50% and waits for that gate before it ends.
 */
@Job(name = "test.batch", maxAttempts = 1)
public class BatchJob implements JobHandler<String> {
  static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();
  static final Map<String, String> BATCH_OF = new ConcurrentHashMap<>();
  static final Set<String> FAILING = ConcurrentHashMap.newKeySet();

  public String name;
  public String gate;

  public BatchJob() {}

  BatchJob(String name) {
    this.name = name;
  }

  static BatchJob gated(String name, String gate) {
    BatchJob j = new BatchJob(name);
    j.gate = gate;
    return j;
  }

  static int runs(String name) {
    AtomicInteger n = RUNS.get(name);
    return n == null ? 0 : n.get();
  }

  @Override
  public String run(JobContext ctx) throws InterruptedException {
    RUNS.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    String b = ctx.batchId();
    if (b != null) {
      BATCH_OF.put(name, b);
    }
    if (gate != null) {
      ctx.progress(Progress.percent(50));
      Gates.open(gate + ".started");
      while (!Gates.awaitBriefly(gate)) {
        ctx.checkInterrupt();
      }
    }
    if (FAILING.contains(name)) {
      throw new NonRetryableException(name + " fails on purpose");
    }
    return name;
  }
}
