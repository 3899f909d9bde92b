package dev.jobkit.examples.spring;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.Service;
import dev.jobkit.State;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code steps} steps, saving its position after each: stopped with the application, it
 * resumes after the restart at the step it had reached.
 */
@Job(name = "spring.steps", description = "Runs steps and resumes after a restart")
public class StepsJob implements JobHandler<List<Integer>> {
  /** How many steps to run. */
  public int steps = 3;

  /** The steps done so far. */
  @State int done;

  /** The steps this attempt ran (the first attempt's steps are in no later one). */
  transient List<Integer> ranHere = new ArrayList<>();

  @Service transient StepGate gate;

  @Override
  public List<Integer> run(JobContext ctx) throws InterruptedException {
    while (done < steps) {
      gate.await(ctx, done);
      ranHere.add(done);
      done++;
      ctx.checkpoint();
    }
    return ranHere;
  }
}
