package dev.jobkit.runtime.crash;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import java.nio.file.Path;

/**
 * Appends "S seq pid" to {@code journal}, works for {@code workMs} (a sleep inside the job), then
 * appends "E seq pid". The journal is written with O_APPEND, so its line order is a global order of
 * events across processes.
 */
@Job(name = "crash.journal")
public class JournalJob implements JobHandler<Integer> {
  public int seq;
  public String journal;
  public long workMs;

  public JournalJob() {}

  JournalJob(int seq, Path journal, long workMs) {
    this.seq = seq;
    this.journal = journal.toString();
    this.workMs = workMs;
  }

  @Override
  public Integer run(JobContext ctx) throws Exception {
    long pid = ProcessHandle.current().pid();
    Journal.append(Path.of(journal), "S " + seq + " " + pid);
    Thread.sleep(workMs);
    Journal.append(Path.of(journal), "E " + seq + " " + pid);
    return seq;
  }
}
