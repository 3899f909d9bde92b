package dev.jobkit.runtime.multinode;

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
 * A worker node in a child JVM running {@link NodeMain} (-Xmx256m): its stdout as a queue of lines,
 * its stderr in a file; can be killed (SIGKILL), stopped (SIGSTOP) and continued (SIGCONT).
 * Adapted from the crash tests' {@code Child}.
 */
final class NodeProcess implements AutoCloseable {
  private static final String EOF = "\u0000EOF";

  final String name;
  private final Process process;
  private final Path stderr;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private NodeProcess(String name, Process process, Path stderr) {
    this.name = name;
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(this::pump, "node-" + name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  static NodeProcess start(Path dir, String name, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java,
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-Dmultinode.node=" + name,
        "-Dorg.jooq.no-logo=true", "-Dorg.jooq.no-tips=true",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "-Dorg.slf4j.simpleLogger.showDateTime=true",
        "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
        "-cp", System.getProperty("java.class.path"),
        NodeMain.class.getName()));
    cmd.addAll(List.of(args));
    Path err = dir.resolve(name + ".stderr");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    return new NodeProcess(name, p, err);
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

  boolean isAlive() {
    return process.isAlive();
  }

  /** The next stdout line matching {@code ok}, skipping others; fails at the deadline or at EOF. */
  String awaitLine(Predicate<String> ok, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("node " + name + " printed no expected line within " + timeout
            + diagnostics());
      }
      if (line.equals(EOF)) {
        lines.add(EOF);
        throw new AssertionError("node " + name + " ended before printing the expected line"
            + diagnostics());
      }
      if (ok.test(line)) {
        return line;
      }
    }
  }

  /** Sends SIGKILL ({@code destroyForcibly} on Linux) and waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("node " + name + " survived SIGKILL");
    }
  }

  /** SIGSTOP: the process stays alive (its pid too) but runs nothing until {@link #resume()}. */
  void suspend() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #suspend()}. */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String sig) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid()))
        .redirectErrorStream(true).start();
    String out = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new AssertionError("kill -" + sig + " " + pid() + " failed: " + out);
    }
  }

  /** Closes its stdin (the node closes its manager and exits) and returns the exit code. */
  int stopGracefully(Duration timeout) throws IOException, InterruptedException {
    process.getOutputStream().close();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("node " + name + " did not exit within " + timeout + diagnostics());
    }
    return process.exitValue();
  }

  /** The node's stderr (its log). */
  String log() {
    try {
      return Files.exists(stderr) ? Files.readString(stderr) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String diagnostics() {
    String err = log();
    if (err.length() > 4000) {
      err = "..." + err.substring(err.length() - 4000);
    }
    return "; stderr of " + name + " (" + stderr + "):\n" + err;
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
