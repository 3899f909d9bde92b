package dev.jobkit.runtime.crash;

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

/** A child JVM running {@link ChildMain}: its stdout as a queue of lines, its stderr in a file. */
final class Child implements AutoCloseable {
  private static final String EOF = "\u0000EOF";

  private final Process process;
  private final Path stderr;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private Child(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(this::pump, "child-" + process.pid() + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  static Child start(Path dir, String name, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java,
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dorg.jooq.no-logo=true", "-Dorg.jooq.no-tips=true",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "-cp", System.getProperty("java.class.path"),
        ChildMain.class.getName()));
    cmd.addAll(List.of(args));
    Path err = dir.resolve(name + ".stderr");
    Process p = new ProcessBuilder(cmd)
        .redirectError(err.toFile())
        .start();
    return new Child(p, err);
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(
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

  long pid() {
    return process.pid();
  }

  /** The next stdout line matching {@code ok}, skipping others; fails at the deadline or at EOF. */
  String awaitLine(Predicate<String> ok, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("child " + pid() + " printed no expected line within " + timeout
            + diagnostics());
      }
      if (line.equals(EOF)) {
        lines.add(EOF);
        throw new AssertionError("child " + pid() + " ended before printing the expected line"
            + diagnostics());
      }
      if (ok.test(line)) {
        return line;
      }
    }
  }

  /** The next stdout line, or null once the stream ended; fails at the deadline. */
  String nextLine(Duration timeout) throws InterruptedException {
    String line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (line == null) {
      throw new AssertionError("child " + pid() + " stdout stayed open" + diagnostics());
    }
    if (line.equals(EOF)) {
      lines.add(EOF);
      return null;
    }
    return line;
  }

  /** Sends SIGKILL and waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("child " + pid() + " survived SIGKILL");
    }
  }

  /** Closes its stdin (the child closes its manager and exits) and returns the exit code. */
  int stopGracefully(Duration timeout) throws IOException, InterruptedException {
    process.getOutputStream().close();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("child " + pid() + " did not exit within " + timeout + diagnostics());
    }
    return process.exitValue();
  }

  String diagnostics() {
    try {
      String err = Files.exists(stderr) ? Files.readString(stderr) : "";
      if (err.length() > 4000) {
        err = "..." + err.substring(err.length() - 4000);
      }
      return "; stderr (" + stderr + "):\n" + err;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

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
