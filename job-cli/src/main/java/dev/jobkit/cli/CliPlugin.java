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
 * public no-argument constructor. Global options given before its name reach it through {@link
 * CliContext}.
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

  /**
   * Runs the subcommand with the global options given before its name ({@code jobkit --db URL NAME
   * ...}). The command line calls this one; the default calls {@link #run(List, PrintWriter,
   * PrintWriter, boolean)}, so plugins written before it keep working. An exception it throws is
   * reported as for a built-in command: one line on {@code err} and its exit code.
   *
   * @param args the arguments after the subcommand's name
   * @param context the global options ({@code --db}, {@code --pg-schema}, {@code --verbose}) and
   *     the built-in commands' way of opening the job database
   * @param out where normal output goes
   * @param err where errors go
   * @return the process exit code
   */
  default int run(List<String> args, CliContext context, PrintWriter out, PrintWriter err) {
    return run(args, out, err, context.verbose());
  }
}
