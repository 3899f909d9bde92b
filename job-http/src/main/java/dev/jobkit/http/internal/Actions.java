package dev.jobkit.http.internal;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobStateException;

/** The control actions by name, with the caller as the actor of the change. */
final class Actions {
  private Actions() {}

  /** Applies {@code action} to job {@code id}; a state that does not allow it is a 409. */
  static boolean apply(JobManager jobs, String action, String id, String actor) {
    try {
      return switch (action) {
        case "cancel" -> jobs.cancel(id, actor);
        case "pause" -> jobs.pause(id, actor);
        case "resume" -> jobs.resume(id, actor);
        case "retry" -> jobs.retry(id, actor);
        default -> throw HttpProblem.notFound("unknown action '" + action + "'");
      };
    } catch (JobStateException e) {
      throw new HttpProblem(409, "invalid-state", "Not allowed in this state", e.getMessage())
          .with("state", e.state().name());
    }
  }
}
