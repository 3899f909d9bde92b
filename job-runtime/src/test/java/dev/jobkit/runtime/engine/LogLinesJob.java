package dev.jobkit.runtime.engine;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.LogLevel;

/** Logs {@code lines} lines "line 1", "line 2", …, odd ones at DEBUG and even ones at WARN. */
@Job(name = "test.log_lines")
public class LogLinesJob implements JobHandler<Integer> {
  public int lines;

  public LogLinesJob() {}

  LogLinesJob(int lines) {
    this.lines = lines;
  }

  @Override
  public Integer run(JobContext ctx) {
    for (int i = 1; i <= lines; i++) {
      ctx.log(i % 2 == 1 ? LogLevel.DEBUG : LogLevel.WARN, "line " + i);
    }
    return lines;
  }
}
