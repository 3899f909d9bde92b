package dev.jobkit.runtime.engine;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.NonRetryableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A job of a dependency graph (#12): returns its name followed by its parents' outputs in brackets,
 * so that a chain a -> b -> c ends with {@code c(b(a))}. A name in {@link #FAILING} fails without
 * retries.
 */
@Job(name = "test.dep", maxAttempts = 1)
public class DepJob implements JobHandler<String> {
  /** Names whose jobs fail (non-retryable) while they are in the set. */
  static final Set<String> FAILING = ConcurrentHashMap.newKeySet();

  public String name;

  public DepJob() {}

  DepJob(String name) {
    this.name = name;
  }

  @Override
  public String run(JobContext ctx) {
    if (FAILING.contains(name)) {
      throw new NonRetryableException(name + " fails on purpose");
    }
    List<String> parents = new ArrayList<>();
    for (String p : ctx.parentOutputs(String.class)) {
      parents.add(String.valueOf(p));
    }
    return parents.isEmpty() ? name : name + "(" + String.join(",", parents) + ")";
  }
}
