package dev.jobkit.http.browser;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.LogLevel;
import dev.jobkit.NonRetryableException;
import dev.jobkit.Progress;
import dev.jobkit.State;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Works through {@code items} items, {@code delayMs} each, reporting progress and logging a line
 * per item: the dashboard's tests watch its progress bar and live log.
 */
@Job(
    name = "catalog.import",
    description = "Imports catalog items slowly, with progress and a log line each")
public class SlowJob implements JobHandler<String> {
  /** Name used in every log line, such as "nightly import". */
  public String label;

  /** How many items to work through. */
  public int items = 40;

  /** Milliseconds spent on each item. */
  public long delayMs = 250;

  /** How much to log: QUIET logs every tenth item, CHATTY every item. */
  public Mode mode = Mode.CHATTY;

  /** Notes written to the log when the job starts. */
  public List<String> notes = List.of();

  /** Where the results go. */
  public Target target = new Target("reports", 2);

  /** Extra key-values written to the first log line. */
  public Map<String, String> context = Map.of();

  /** Fail after the last item instead of completing. */
  public boolean failAtEnd;

  /** Items done so far (checkpointed, so a resumed job goes on from here). */
  @State int done;

  /** How much the job logs. */
  public enum Mode {
    QUIET,
    CHATTY
  }

  /**
   * Where results go.
   *
   * @param bucket the bucket's name
   * @param shards how many shards to write
   */
  public record Target(String bucket, int shards) {}

  /** For the registry. */
  public SlowJob() {}

  @Override
  public String run(JobContext ctx) throws InterruptedException {
    if (!context.isEmpty()) {
      ctx.log("context: " + new TreeMap<>(context));
    }
    for (String n : notes) {
      ctx.log("note: " + n);
    }
    while (done < items) {
      ctx.checkInterrupt();
      Thread.sleep(delayMs);
      done++;
      ctx.progress(Progress.count(done, items, "items"));
      if (mode == Mode.CHATTY || done % 10 == 0) {
        ctx.log(label + ": item " + done + " of " + items);
      }
      if (done % 7 == 0) {
        ctx.log(LogLevel.WARN, label + ": item " + done + " was slow");
      }
      ctx.checkpoint();
    }
    if (failAtEnd) {
      throw new NonRetryableException(label + ": failed at the end, as asked");
    }
    return label + ": " + done + " items to " + target.bucket();
  }
}
