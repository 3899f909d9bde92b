package dev.jobkit.examples.evolution;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/** The first version of a job whose state later evolves; see {@link StateEvolutionTest}. */
@Job(name = "evo.profile.v1")
public class ProfileV1 implements JobHandler<Void> {
  public String name;
  public int age;
  public String nickname;

  @Override
  public Void run(JobContext ctx) {
    return null;
  }
}
