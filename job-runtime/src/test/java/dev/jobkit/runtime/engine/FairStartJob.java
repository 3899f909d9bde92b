package dev.jobkit.runtime.engine;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Does nothing but count its start: each start of run {@code run} gets the next number of that run,
 * and the starts of jobs labelled {@code watched} keep theirs, so a test can count what started
 * between two events without a clock.
 */
@Job(name = "test.fair-start")
public class FairStartJob implements JobHandler<Integer> {
  private static final Map<String, AtomicInteger> STARTS = new ConcurrentHashMap<>();
  private static final Map<String, List<Integer>> WATCHED = new ConcurrentHashMap<>();

  public String run;
  public boolean watched;

  public FairStartJob() {}

  FairStartJob(String run, boolean watched) {
    this.run = run;
    this.watched = watched;
  }

  @Override
  public Integer run(JobContext ctx) {
    int n = starts(run).incrementAndGet();
    if (watched) {
      watched(run).add(n);
    }
    return n;
  }

  /** The starts of run {@code run} so far. */
  static AtomicInteger starts(String run) {
    return STARTS.computeIfAbsent(run, k -> new AtomicInteger());
  }

  /** The start numbers of the watched jobs of run {@code run}. */
  static List<Integer> watched(String run) {
    return WATCHED.computeIfAbsent(run, k -> new CopyOnWriteArrayList<>());
  }
}
