package dev.jobkit.runtime.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real child JVM on the test class path, for tests that kill, freeze or stop processes: its
 * stdout as a queue of lines, its stderr (its log) in a file. It can be killed (SIGKILL), frozen
 * (SIGSTOP) and continued (SIGCONT), or asked to stop by closing its stdin.
 */
public final class ChildJvm implements AutoCloseable {
  private static final String EOF = "\u0000EOF";

  private final String name;
  private final Process process;
  private final Path stderr;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private ChildJvm(String name, Process process, Path stderr) {
    this.name = name;
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(this::pump, "child-" + name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code main} with {@code args} in a JVM of 256 MiB heap; its stderr goes to {@code
   * dir/name.stderr}.
   *
   * @param jvmArgs extra JVM options, e.g. system properties
   */
  public static ChildJvm start(
      Path dir, String name, Class<?> main, List<String> jvmArgs, String... args)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.jooq.no-logo=true",
                "-Dorg.jooq.no-tips=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info"));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    Path err = dir.resolve(name + ".stderr");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    return new ChildJvm(name, p, err);
  }

  private void pump() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      // the stream breaks when the child is killed: treat as its end
    } finally {
      lines.add(EOF);
    }
  }

  /** The name given at start. */
  public String name() {
    return name;
  }

  /** Its process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process still exists (a frozen one does). */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The next stdout line matching {@code ok}, skipping others; fails at the deadline or at EOF. */
  public String awaitLine(Predicate<String> ok, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError(
            name
                + " (pid "
                + pid()
                + ") printed no expected line within "
                + timeout
                + diagnostics());
      }
      if (line.equals(EOF)) {
        lines.add(EOF);
        throw new AssertionError(
            name + " (pid " + pid() + ") ended before printing the expected line" + diagnostics());
      }
      if (ok.test(line)) {
        return line;
      }
    }
  }

  /** The next stdout line, or null once the stream ended; fails at the deadline. */
  public String nextLine(Duration timeout) throws InterruptedException {
    String line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (line == null) {
      throw new AssertionError(name + " (pid " + pid() + ") stdout stayed open" + diagnostics());
    }
    if (line.equals(EOF)) {
      lines.add(EOF);
      return null;
    }
    return line;
  }

  /** Sends SIGKILL ({@code destroyForcibly} on Linux) and waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " (pid " + pid() + ") survived SIGKILL");
    }
  }

  /** SIGSTOP: the process stays alive (its pid too) but runs nothing until {@link #resume()}. */
  public void suspend() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #suspend()}. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String sig) throws IOException, InterruptedException {
    Process k =
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid()))
            .redirectErrorStream(true)
            .start();
    String out = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new AssertionError("kill -" + sig + " " + pid() + " failed: " + out);
    }
  }

  /** Closes its stdin (the child is expected to shut down and exit) and returns the exit code. */
  public int stopGracefully(Duration timeout) throws IOException, InterruptedException {
    process.getOutputStream().close();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          name + " (pid " + pid() + ") did not exit within " + timeout + diagnostics());
    }
    return process.exitValue();
  }

  /** Everything it wrote to stderr so far (its log). */
  public String log() {
    try {
      return Files.exists(stderr) ? Files.readString(stderr) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tail of its stderr, for assertion messages. */
  public String diagnostics() {
    String err = log();
    if (err.length() > 4000) {
      err = "..." + err.substring(err.length() - 4000);
    }
    return "; stderr of " + name + " (" + stderr + "):\n" + err;
  }

  /** Kills it if it is still running. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
