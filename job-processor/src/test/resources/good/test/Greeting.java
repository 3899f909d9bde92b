package test;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

@Job(name = "greeting", description = "Greets someone")
public class Greeting implements JobHandler<String> {
  public enum Tone {
    FRIENDLY,
    FORMAL
  }

  /** Who is greeted, such as {@code "Ada"}. */
  public String recipient;

  /** How often to greet; default 1. */
  public int times = 1;

  public List<String> cc = new ArrayList<>();
  public Tone tone = Tone.FRIENDLY;
  public Instant sendAt;

  /** Greetings sent so far. */
  @State int sent;

  @State Instant startedAt;

  @Override
  public String run(JobContext ctx) {
    return "Hello, " + recipient;
  }
}
