package dev.jobkit.examples.evolution;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/**
 * {@link ProfileV1} with {@code nickname} removed and {@code email} added: no version bump needed.
 */
@Job(name = "evo.profile.v2")
public class ProfileV2 implements JobHandler<Void> {
  public String name;
  public int age;
  public String email = "unknown@example.com";

  @Override
  public Void run(JobContext ctx) {
    return null;
  }
}
