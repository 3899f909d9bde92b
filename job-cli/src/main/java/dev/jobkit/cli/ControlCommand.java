package dev.jobkit.cli;

import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import java.util.function.BiPredicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jobkit cancel|pause|resume|retry ID}: one control call on one job. */
@Command(description = "Controls a job.")
final class ControlCommand extends JobkitCommand {

  /** The control calls, with their command names and help. */
  enum Action {
    CANCEL(
        "cancel",
        "Cancel a job: a waiting or paused one at once, a running one at its next " + "safe point.",
        (m, id) -> m.cancel(id, KeysCommand.ACTOR)),
    PAUSE(
        "pause",
        "Pause a job: a waiting one at once, a running one at its next safe point "
            + "(resumable jobs are checkpointed).",
        (m, id) -> m.pause(id, KeysCommand.ACTOR)),
    RESUME(
        "resume",
        "Queue a paused job again; it continues from its last checkpoint.",
        (m, id) -> m.resume(id, KeysCommand.ACTOR)),
    RETRY(
        "retry",
        "Queue a failed, timed-out, cancelled or quarantined job again with its "
            + "attempts reset.",
        (m, id) -> m.retry(id, KeysCommand.ACTOR));

    private final String command;
    private final String description;
    private final BiPredicate<JobManager, String> call;

    Action(String command, String description, BiPredicate<JobManager, String> call) {
      this.command = command;
      this.description = description;
      this.call = call;
    }

    String command() {
      return command;
    }
  }

  private final Action action;

  @Parameters(paramLabel = "ID", description = "The job's id or a unique prefix of it.")
  String id;

  @Option(
      names = "--json",
      description =
          "Print the outcome as one JSON object: id, name, action, "
              + "previousState, state, applied, pending.")
  boolean json;

  private ControlCommand(Action action) {
    this.action = action;
  }

  /** The command line of one action, with its own description. */
  static CommandLine commandLine(Action action) {
    CommandLine cl = new CommandLine(new ControlCommand(action));
    cl.getCommandSpec().usageMessage().description(action.description);
    return cl;
  }

  @Override
  public Integer call() {
    try (JobManager jobs = jobkit.openClient(false)) {
      JobInfo before = find(jobs, id);
      if (!action.call.test(jobs, before.id())) {
        throw new CliException(ExitCodes.NOT_FOUND, "job " + before.id() + " no longer exists");
      }
      JobInfo after = jobs.job(before.id()).orElse(before);
      if (json) {
        Json.write(
            out(),
            true,
            g -> {
              g.writeStartObject();
              g.writeStringField("id", after.id());
              g.writeStringField("name", after.name());
              g.writeStringField("action", action.command);
              g.writeStringField("previousState", before.state().name());
              g.writeStringField("state", after.state().name());
              g.writeBooleanField("applied", applied(before, after));
              g.writeBooleanField("pending", pending(after));
              g.writeEndObject();
            });
      } else {
        out().println("job " + after.id() + " (" + after.name() + "): " + outcome(before, after));
      }
      return ExitCodes.OK;
    }
  }

  /** Whether the call is still to take effect: a running job stops at its next safe point. */
  private boolean pending(JobInfo after) {
    return (action == Action.CANCEL || action == Action.PAUSE) && after.state() == JobState.RUNNING;
  }

  /**
   * Whether the call changed something: the state changed, or a stop was requested. False when the
   * job already was as asked (cancelling a cancelled job, retrying one that has not finished).
   */
  private boolean applied(JobInfo before, JobInfo after) {
    return before.state() != after.state() || pending(after);
  }

  private String outcome(JobInfo before, JobInfo after) {
    String now = style().state(after.state(), after.state().name());
    if (pending(after)) {
      return action.command + " requested; it stops at its next safe point (" + now + ")";
    }
    if (action == Action.RETRY
        && before.state() == after.state()
        && !before.state().isTerminal()
        && before.state() != JobState.QUARANTINED) {
      return now + " (not finished, so retry changed nothing)";
    }
    return now;
  }
}
