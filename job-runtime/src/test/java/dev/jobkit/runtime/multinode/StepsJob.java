package dev.jobkit.runtime.multinode;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.Progress;

/**
 * A resumable job of {@code steps} steps of {@code stepMs} each, on its own queue, checkpointing
 * after every step. Journals "S" with the step it starts at (its restored checkpoint) and whether
 * it was resumed, "C" after each committed checkpoint, "E" when done and "X" when it threw (a lost
 * lease refuses its checkpoint). Its output carries the sum over all steps, which is right only if
 * every step was counted exactly once across runs, and where its last run started.
 */
@Job(name = "multinode.steps", queue = StepsJob.QUEUE)
public class StepsJob implements JobHandler<String> {
  static final String QUEUE = "steps";

  public int seq;
  public String journal;
  public int steps;
  public long stepMs;
  int next;
  long acc;

  public StepsJob() {}

  StepsJob(int seq, String journal, int steps, long stepMs) {
    this.seq = seq;
    this.journal = journal;
    this.steps = steps;
    this.stepMs = stepMs;
  }

  /** The sum a run of all steps of job {@code seq} must report. */
  static long expectedSum(int seq, int steps) {
    long sum = 0;
    for (int i = 0; i < steps; i++) {
      sum += term(seq, i);
    }
    return sum;
  }

  private static long term(int seq, int step) {
    return (long) (seq + 1) * 1_000 + step * step;
  }

  @Override
  public String run(JobContext ctx) throws Exception {
    int startedAt = next;
    RunJournal.append(journal, 'S', seq, ctx.attempt(), next, ctx.isResumed(), null);
    try {
      while (next < steps) {
        ctx.checkInterrupt();
        Thread.sleep(stepMs);
        acc += term(seq, next);
        next++;
        ctx.progress(Progress.count(next, steps));
        ctx.checkpoint();
        RunJournal.append(journal, 'C', seq, ctx.attempt(), next, ctx.isResumed(), null);
      }
    } catch (Throwable t) {
      RunJournal.append(journal, 'X', seq, ctx.attempt(), next, ctx.isResumed(), t.toString());
      throw t;
    }
    RunJournal.append(journal, 'E', seq, ctx.attempt(), next, ctx.isResumed(), null);
    return "seq="
        + seq
        + " sum="
        + acc
        + " start="
        + startedAt
        + " resumed="
        + ctx.isResumed()
        + " node="
        + RunJournal.node()
        + " attempt="
        + ctx.attempt();
  }
}
