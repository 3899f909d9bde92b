package dev.jobkit.cli;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.LogLevel;

/**
 * Logs {@code lines} INFO lines "line i" and one WARN line, then returns {@code text} upper-cased.
 */
@Job(name = "cli.echo", description = "Echoes its text in capitals")
public class EchoJob implements JobHandler<String> {
  public String text = "";
  public int lines;

  public EchoJob() {}

  @Override
  public String run(JobContext ctx) {
    for (int i = 1; i <= lines; i++) {
      ctx.log("line " + i);
    }
    ctx.log(LogLevel.WARN, "careful with " + text);
    return text.toUpperCase(java.util.Locale.ROOT);
  }
}
