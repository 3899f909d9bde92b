package dev.jobkit.runtime.engine;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/** Returns a greeting. */
@Job(name = "test.greet")
public class GreetJob implements JobHandler<String> {
  public String name;

  public GreetJob() {}

  GreetJob(String name) {
    this.name = name;
  }

  @Override
  public String run(JobContext ctx) {
    ctx.log("greeting " + name);
    return "hello " + name;
  }
}
