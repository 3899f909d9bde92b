package dev.jobkit.examples.spring;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.Service;

/** Welcomes a new user through the application's {@link Greetings} bean. */
@Job(name = "spring.welcome", description = "Welcomes a new user")
public class WelcomeJob implements JobHandler<String> {
  /** The user to welcome. */
  public String userName;

  /** A bean of the application, set before each attempt; never saved with the job. */
  @Service transient Greetings greetings;

  /** For the registry. */
  public WelcomeJob() {}

  /** A job that welcomes {@code userName}. */
  public WelcomeJob(String userName) {
    this.userName = userName;
  }

  @Override
  public String run(JobContext ctx) {
    ctx.log("welcoming " + userName);
    return greetings.greet(userName);
  }
}
