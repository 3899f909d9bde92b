package dev.jobkit.examples.shell;

import dev.jobkit.examples.Sizes;
import dev.jobkit.examples.Summarizable;
import java.time.Duration;
import java.util.List;

/**
 * The output of {@link ShellJob}.
 *
 * @param command the argv that ran
 * @param exitCode the command's exit code
 * @param stdoutLines lines the command wrote to its standard output
 * @param stderrLines lines the command wrote to its standard error
 * @param lastLine the last line of standard output, or empty
 * @param duration how long the command ran
 */
public record ShellResult(
    List<String> command,
    int exitCode,
    long stdoutLines,
    long stderrLines,
    String lastLine,
    Duration duration)
    implements Summarizable {

  @Override
  public String summary() {
    return "exit "
        + exitCode
        + " after "
        + Sizes.duration(duration)
        + ", "
        + Sizes.count(stdoutLines, "line")
        + " of output"
        + (stderrLines > 0 ? ", " + stderrLines + " on stderr" : "")
        + (lastLine.isEmpty() ? "" : ": " + lastLine);
  }
}
