package dev.jobkit.examples.evolution;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import java.util.Map;

/**
 * {@link ProfileV1} after a rename ({@code name} became {@code fullName}, version 2) and a type
 * change ({@code age} went from a number to text, version 3), expressed as upgrade steps.
 */
@Job(name = "evo.profile.v3", version = 3)
public class ProfileV3 implements JobHandler<Void> {
  public String fullName;
  public String age = "unknown";
  public String email = "unknown@example.com";

  @dev.jobkit.Upgrade(from = 1)
  static void renameName(Map<String, Object> state) {
    state.put("fullName", state.remove("name"));
  }

  @dev.jobkit.Upgrade(from = 2)
  static void ageToText(Map<String, Object> state) {
    Object age = state.get("age");
    if (age instanceof Long) {
      state.put("age", age + " years");
    }
  }

  @Override
  public Void run(JobContext ctx) {
    return null;
  }
}
