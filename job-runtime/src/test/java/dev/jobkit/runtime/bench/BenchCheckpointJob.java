package dev.jobkit.runtime.bench;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/** Checkpoints a ~1 KB state {@code count} times, recording each checkpoint's duration. */
@Job(name = "bench.checkpoint", queue = "bench")
public class BenchCheckpointJob implements JobHandler<Void> {
  static volatile long[] nanos = new long[0];

  public int count;
  public int next;
  public String state;

  public BenchCheckpointJob() {}

  BenchCheckpointJob(int count, String state) {
    this.count = count;
    this.state = state;
  }

  @Override
  public Void run(JobContext ctx) {
    long[] out = new long[count];
    while (next < count) {
      // change the state a little each time so every checkpoint writes new bytes
      char[] c = state.toCharArray();
      c[next % c.length] = (char) ('a' + next % 26);
      state = new String(c);
      long t0 = System.nanoTime();
      ctx.checkpoint();
      out[next] = System.nanoTime() - t0;
      next++;
    }
    nanos = out;
    return null;
  }
}
