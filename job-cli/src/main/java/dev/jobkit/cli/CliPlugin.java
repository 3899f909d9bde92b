package dev.jobkit.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * A subcommand that a jar on the class path adds to the {@code jobkit} command line, found with
 * {@link java.util.ServiceLoader} (list the implementation in {@code
 * META-INF/services/dev.jobkit.cli.CliPlugin}). The examples contribute {@code demo} this way, so
 * that the runtime's CLI does not depend on them.
 *
 * <p>An implementation parses its own arguments (picocli is on the class path) and must have a
 * public no-argument constructor.
 */
public interface CliPlugin {

  /** The subcommand's name, such as {@code demo}; must not clash with a built-in command. */
  String name();

  /** One line for {@code jobkit --help}. */
  String description();

  /**
   * Runs the subcommand.
   *
   * @param args the arguments after the subcommand's name
   * @param out where normal output goes
   * @param err where errors go: one line each, no stack trace unless {@code verbose}
   * @param verbose whether the user passed {@code --verbose}
   * @return the process exit code, 0 for success (see {@code docs/cli.md} for the others)
   */
  int run(List<String> args, PrintWriter out, PrintWriter err, boolean verbose);
}
