package dev.jobkit.examples.demo;

import dev.jobkit.cli.CliPlugin;
import java.io.PrintWriter;
import java.util.List;

/** Adds {@code jobkit demo} to the command line; see {@link Demo}. */
public final class DemoPlugin implements CliPlugin {

  /** Creates the plugin; the CLI finds it with {@link java.util.ServiceLoader}. */
  public DemoPlugin() {}

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String description() {
    return "Run example jobs, kill their worker with SIGKILL and watch them resume.";
  }

  @Override
  public int run(List<String> args, PrintWriter out, PrintWriter err, boolean verbose) {
    return Demo.run(args, out, err, verbose);
  }
}
