package dev.jobkit.runtime.bench;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A no-op job for the PostgreSQL latency benchmark: records when it started, as {@link
 * System#nanoTime()} for a dispatcher in the same process and as wall-clock microseconds, handed to
 * {@link #onStart}, for one in another process on the same machine.
 */
@Job(name = "bench.stamp", queue = "bench")
public class BenchStampJob implements JobHandler<Void> {
  /** Told of every start: the job's number and the wall clock at its first statement, in µs. */
  interface StartSink {
    void started(int n, long wallMicros);
  }

  static final AtomicLong RUNS = new AtomicLong();
  static volatile long lastStartNanos;
  static volatile StartSink onStart;

  public int n;

  public BenchStampJob() {}

  BenchStampJob(int n) {
    this.n = n;
  }

  @Override
  public Void run(JobContext ctx) {
    long nanos = System.nanoTime();
    long micros = wallMicros();
    lastStartNanos = nanos;
    RUNS.incrementAndGet();
    StartSink sink = onStart;
    if (sink != null) {
      sink.started(n, micros);
    }
    return null;
  }

  /** Wall-clock microseconds since the epoch (CLOCK_REALTIME: one clock for the machine's JVMs). */
  static long wallMicros() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
  }
}
