package dev.jobkit.http;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.LogLevel;
import java.util.List;

/** Logs one line per item and returns the text in capitals. */
@Job(name = "http.echo", description = "Echoes its text in capitals")
public class EchoJob implements JobHandler<String> {
  public String text = "";
  public List<String> items = List.of();
  public int count;

  public EchoJob() {}

  @Override
  public String run(JobContext ctx) {
    for (String i : items) {
      ctx.log("item " + i);
    }
    ctx.log(LogLevel.WARN, "careful with " + text);
    return text.toUpperCase(java.util.Locale.ROOT);
  }
}
