package test;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import java.time.Instant;
import java.util.List;

@Job(name = "greeting", description = "Greets someone")
public class Greeting implements JobHandler<String> {
  public enum Tone {
    FRIENDLY,
    FORMAL
  }

  public String recipient;
  public int times;
  public List<String> cc;
  public Tone tone;
  public Instant sendAt;

  @Override
  public String run(JobContext ctx) {
    return "Hello, " + recipient;
  }
}
