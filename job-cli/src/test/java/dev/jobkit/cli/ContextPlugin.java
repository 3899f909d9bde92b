package dev.jobkit.cli;

import dev.jobkit.JobRegistry;
import dev.jobkit.runtime.JobManager;
import java.io.PrintWriter;
import java.util.List;

/**
 * A plugin that uses its {@link CliContext}: prints the global options, then opens the job database
 * the built-in way and prints how many jobs it holds.
 */
public class ContextPlugin implements CliPlugin {
  @Override
  public String name() {
    return "count-jobs";
  }

  @Override
  public String description() {
    return "Counts the jobs (test plugin).";
  }

  @Override
  public int run(List<String> args, PrintWriter out, PrintWriter err, boolean verbose) {
    throw new AssertionError("the command line calls run(args, context, out, err)");
  }

  @Override
  public int run(List<String> args, CliContext context, PrintWriter out, PrintWriter err) {
    out.println(
        "db="
            + CliContext.display(context.database())
            + " schema="
            + context.pgSchema().orElse("-")
            + " verbose="
            + context.verbose());
    try (JobManager jobs =
        context.openJobManager(null, null, JobRegistry.load(), JobManager.Builder::noWorkers)) {
      out.println(
          "jobs=" + jobs.stats().byState().values().stream().mapToLong(Long::longValue).sum());
    }
    return 0;
  }
}
