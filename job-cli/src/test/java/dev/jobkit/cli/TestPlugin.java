package dev.jobkit.cli;

import java.io.PrintWriter;
import java.util.List;

/** A plugin that prints its arguments; exits with the code given as {@code exit=N}. */
public class TestPlugin implements CliPlugin {
  @Override
  public String name() {
    return "echo-args";
  }

  @Override
  public String description() {
    return "Prints its arguments (test plugin).";
  }

  @Override
  public int run(List<String> args, PrintWriter out, PrintWriter err, boolean verbose) {
    out.println("args=" + args + " verbose=" + verbose);
    for (String a : args) {
      if (a.startsWith("exit=")) {
        return Integer.parseInt(a.substring(5));
      }
      if (a.equals("boom")) {
        throw new IllegalStateException("plugin exploded");
      }
    }
    return 0;
  }
}
