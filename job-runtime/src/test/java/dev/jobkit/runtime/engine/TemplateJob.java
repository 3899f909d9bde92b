package dev.jobkit.runtime.engine;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import java.util.List;

/** A job with a string, a number, a list and a nested object, for templates. */
@Job(name = "test.template")
public class TemplateJob implements JobHandler<Void> {
  public String name = "none";
  public int count = 1;
  public List<String> items = List.of();
  public Target target;

  /** A nested object. */
  public record Target(String host, int port) {}

  public TemplateJob() {}

  @Override
  public Void run(JobContext ctx) {
    return null;
  }
}
