package dev.jobkit.examples.shell;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.LogLevel;
import dev.jobkit.NonRetryableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs an external command and streams its output into the job's log: each line of standard output
 * at INFO, each line of standard error at WARN.
 *
 * <p>Parameters, as JSON:
 *
 * <pre>{@code
 * {"command": ["sh", "-c", "make test | tail -20"], "workingDir": "/src/app",
 *  "env": {"CI": "true"}, "failOnNonZeroExit": true, "retryOnFailure": false, "stopGrace": "PT2S"}
 * }</pre>
 *
 * <p>The command is an argv list run directly, without a shell: use {@code ["sh", "-c", "..."]} for
 * pipes and globs. {@code env} is added to this process's environment. A {@code null} argument or
 * environment value fails the job at its start, without retries (parameters have no validation hook
 * at dispatch).
 *
 * <p>A non-zero exit code fails the job (at once, or with retries when {@code retryOnFailure} is
 * true), unless {@code failOnNonZeroExit} is false: the job then completes and its output has the
 * exit code. On cancel, pause, timeout (set one with {@code DispatchOptions.timeout}) or shutdown
 * the command and every process it started get SIGTERM, then SIGKILL after {@code stopGrace}.
 *
 * <p><b>Not resumable:</b> jobkit cannot know how far an external command got, so a job interrupted
 * by a crash, a pause or a shutdown runs the command again from the start. Use it for commands that
 * are safe to repeat.
 */
@Job(
    name = "shell",
    description = "Runs an external command and streams its output into the job log",
    resumable = false)
public class ShellJob implements JobHandler<ShellResult> {

  /** The command and its arguments. */
  public List<String> command;

  /** The directory the command runs in; default: this process's working directory. */
  public @Nullable Path workingDir;

  /** Environment variables added for the command. */
  public Map<String, String> env = new LinkedHashMap<>();

  /** Whether a non-zero exit code fails the job (default true). */
  public boolean failOnNonZeroExit = true;

  /** Whether a failed command is tried again while the job has attempts left (default false). */
  public boolean retryOnFailure;

  /** How long the command has to exit after SIGTERM before it is killed; default 2 s. */
  public Duration stopGrace = Duration.ofSeconds(2);

  /** A job without parameters, as the runtime creates it before reading its state. */
  public ShellJob() {}

  /** A job running {@code command}. */
  public ShellJob(List<String> command) {
    this.command = new ArrayList<>(command);
  }

  @Override
  public ShellResult run(JobContext ctx) throws Exception {
    validate();
    ProcessBuilder builder = new ProcessBuilder(command);
    if (workingDir != null) {
      builder.directory(workingDir.toFile());
    }
    builder.environment().putAll(env);
    ctx.log(
        "Running "
            + command
            + (workingDir == null ? "" : " in " + workingDir)
            + (ctx.attempt() > 1 ? " (attempt " + ctx.attempt() + ", from the start)" : ""));

    long start = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new NonRetryableException(
          "shell: cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
    process.getOutputStream().close(); // the command reads no input
    LinePump stdout = LinePump.start(process.getInputStream(), LogLevel.INFO, ctx, "stdout");
    LinePump stderr = LinePump.start(process.getErrorStream(), LogLevel.WARN, ctx, "stderr");
    try {
      while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
        ctx.checkInterrupt(); // throws on cancel, pause, timeout and shutdown
      }
    } finally {
      if (process.isAlive()) {
        ctx.log(LogLevel.WARN, "Stopping the command (pid " + process.pid() + ") and its children");
        List<ProcessHandle> killed = ProcessTree.stop(process, stopGrace);
        if (!killed.isEmpty()) {
          ctx.log(LogLevel.WARN, "Killed " + killed.size() + " processes that ignored SIGTERM");
        }
      }
    }
    stdout.finish();
    stderr.finish();

    int exitCode = process.exitValue();
    Duration duration = Duration.ofNanos(System.nanoTime() - start);
    ctx.log("Exit code " + exitCode);
    if (exitCode != 0 && failOnNonZeroExit) {
      String message =
          "shell: "
              + command
              + " exited with code "
              + exitCode
              + (stderr.lastLine().isEmpty() ? "" : ": " + stderr.lastLine());
      throw retryOnFailure
          ? new ExitCodeException(message, exitCode)
          : new NonRetryableException(message, new ExitCodeException(message, exitCode));
    }
    return new ShellResult(
        List.copyOf(command),
        exitCode,
        stdout.lines(),
        stderr.lines(),
        stdout.lastLine(),
        duration);
  }

  private void validate() {
    if (command == null
        || command.isEmpty()
        || command.get(0) == null
        || command.get(0).isBlank()) {
      throw new NonRetryableException(
          "shell: 'command' must name a program, e.g. [\"ls\", \"-l\"]");
    }
    // JSON null is accepted by the parameter codec; ProcessBuilder would throw a
    // NullPointerException, which the runtime retries.
    for (int i = 0; i < command.size(); i++) {
      if (command.get(i) == null) {
        throw new NonRetryableException(
            "shell: command[" + i + "] is null; every argument must be a string");
      }
    }
    if (env == null) { // "env": null means no variables
      env = new LinkedHashMap<>();
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getValue() == null) {
        throw new NonRetryableException(
            "shell: env '" + e.getKey() + "' is null; give it a string value, such as \"\"");
      }
    }
    if (workingDir != null && !Files.isDirectory(workingDir)) {
      throw new NonRetryableException("shell: workingDir " + workingDir + " is not a directory");
    }
    if (stopGrace == null || stopGrace.isNegative()) {
      throw new NonRetryableException("shell: 'stopGrace' must not be negative");
    }
  }

  /** Copies the lines of one output stream of the command into the job's log, on its own thread. */
  private static final class LinePump implements Runnable {
    private final InputStream in;
    private final LogLevel level;
    private final JobContext ctx;
    private final Thread thread;
    private volatile long lines;
    private volatile String lastLine = "";

    private LinePump(InputStream in, LogLevel level, JobContext ctx, String stream) {
      this.in = in;
      this.level = level;
      this.ctx = ctx;
      this.thread = new Thread(this, "shell-" + stream + "-" + ctx.id());
      thread.setDaemon(true);
    }

    static LinePump start(InputStream in, LogLevel level, JobContext ctx, String stream) {
      LinePump pump = new LinePump(in, level, ctx, stream);
      pump.thread.start();
      return pump;
    }

    @Override
    public void run() {
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()))) {
        String line;
        while ((line = reader.readLine()) != null) {
          ctx.log(level, line);
          lines++;
          lastLine = line;
        }
      } catch (IOException e) {
        // the stream was closed under us (the command was killed): nothing more to copy
      }
    }

    /**
     * Waits briefly for the last lines. A background process the command left behind may keep the
     * stream open, so this does not wait for its end.
     */
    void finish() throws InterruptedException {
      thread.join(2000);
    }

    long lines() {
      return lines;
    }

    String lastLine() {
      return lastLine;
    }
  }
}
