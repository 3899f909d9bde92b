package dev.jobkit.runtime.crash;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.Progress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Processes items 0..total-1, checkpointing after each. Appends to {@code journal}: "START pid next
 * resumed" at the start of a run, "DONE pid i" before checkpointing item i and "CKPT pid i" after.
 * Sleeps {@code delayMs} per item (inside the job, to leave time for a kill) and, at item {@code
 * holdAt}, waits while the file {@code hold} exists so a first run can never finish on its own.
 * With {@code checkpointEvery} n above 1 it checkpoints (and journals "CKPT") only after every n-th
 * item and after the last.
 */
@Job(name = "crash.items")
public class ItemsJob implements JobHandler<String> {
  public int total;
  public String journal;
  public String hold;
  public int holdAt = -1;
  public long delayMs;
  public int checkpointEvery = 1;
  int next;
  long sum;
  int processed;

  public ItemsJob() {}

  ItemsJob(int total, Path journal, Path hold, int holdAt, long delayMs) {
    this.total = total;
    this.journal = journal.toString();
    this.hold = hold.toString();
    this.holdAt = holdAt;
    this.delayMs = delayMs;
  }

  ItemsJob(int total, Path journal, long delayMs, int checkpointEvery) {
    this(total, journal, journal.resolveSibling("no-hold"), -1, delayMs);
    this.checkpointEvery = checkpointEvery;
  }

  @Override
  public String run(JobContext ctx) throws Exception {
    long pid = ProcessHandle.current().pid();
    int startedAt = next;
    Journal.append(Path.of(journal), "START " + pid + " " + next + " " + ctx.isResumed());
    while (next < total) {
      ctx.checkInterrupt();
      if (next == holdAt) {
        while (Files.exists(Path.of(hold))) {
          ctx.checkInterrupt();
          Thread.sleep(10);
        }
      }
      Thread.sleep(delayMs);
      sum += next;
      processed++;
      Journal.append(Path.of(journal), "DONE " + pid + " " + next);
      next++;
      ctx.progress(Progress.count(next, total));
      if (next % Math.max(1, checkpointEvery) == 0 || next == total) {
        ctx.checkpoint();
        Journal.append(Path.of(journal), "CKPT " + pid + " " + (next - 1));
      }
    }
    return "sum="
        + sum
        + " processed="
        + processed
        + " start="
        + startedAt
        + " resumed="
        + ctx.isResumed();
  }
}
