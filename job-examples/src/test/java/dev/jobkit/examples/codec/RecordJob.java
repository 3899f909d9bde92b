package dev.jobkit.examples.codec;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.WireName;
import java.util.Optional;

/** A record job without output; nested to check naming. */
public final class RecordJob {
  private RecordJob() {}

  /** Nested record job. */
  @Job(name = "codec.record")
  public record Inner(@WireName("n") int number, String text, Optional<String> note)
      implements JobHandler<Void> {
    @Override
    public Void run(JobContext ctx) {
      return null;
    }
  }
}
