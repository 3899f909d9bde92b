package dev.jobkit.examples.tour;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guide's section "Restart and resume": a job stopped mid-run, by a graceful close or by
 * SIGKILL, continues from its last checkpoint when TourMain runs again with the same JSON.
 */
class TourResumeTest {
  private static final Pattern RESUMED =
      Pattern.compile("log: Resumed from checkpoint at file (\\d+) of (\\d+)");

  @TempDir Path tmp;

  @Test
  void aGracefulCloseMidRunSavesACheckpointAndTheNextRunResumesFromIt() throws Exception {
    TourFiles input = TourFiles.write(tmp.resolve("in"), 6);
    Path db = tmp.resolve("jobkit.db");
    String json = input.json(150);
    String id;
    CompletableFuture<?> pending;
    try (JobManager jobs = JobManager.open(db)) {
      JobHandle<?> h =
          jobs.dispatchByName(
              "word_count", json, DispatchOptions.builder().idempotencyKey(json).build());
      id = h.id();
      pending = h.result();
      CountDownLatch twoFiles = new CountDownLatch(1);
      h.onProgress(
          p -> {
            if (p.done() >= 2) {
              twoFiles.countDown();
            }
          });
      assertTrue(twoFiles.await(10, TimeUnit.SECONDS), "two files counted");
    } // close(): the job stops at its next checkInterrupt(), is checkpointed and queued again
    ExecutionException closed = assertThrows(ExecutionException.class, pending::get);
    assertInstanceOf(
        IllegalStateException.class, closed.getCause(), "pending futures fail on close");
    try (JobManager jobs = JobManager.builder().database(db).noWorkers().open()) {
      assertEquals(JobState.QUEUED, jobs.job(id).orElseThrow().state());
      assertEquals(0, jobs.job(id).orElseThrow().attempts(), "a graceful stop spends no attempt");
    }

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Object result = TourMain.run(db, json, new PrintStream(bytes, true, UTF_8));

    String out = bytes.toString(UTF_8);
    assertTrue(out.startsWith("job " + id + "\n"), "the same job: " + out);
    int resumedAt = resumedAt(out);
    assertTrue(resumedAt >= 3, "resumed after the files already counted: " + out);
    assertEquals(input.expected(), result, "no file counted twice or missed");
    assertEquals(1, attempts(db, id), "one attempt in all");
  }

  @Test
  void aKilledProcessLeavesTheJobToTheNextRunWhichResumesIt() throws Exception {
    TourFiles input = TourFiles.write(tmp.resolve("in"), 8);
    String json = input.json(250);
    Path childOut = tmp.resolve("child.out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                TourMain.class.getName(),
                json)
            .directory(tmp.toFile())
            .redirectOutput(childOut.toFile())
            .redirectError(tmp.resolve("child.err").toFile())
            .start();
    List<String> printed;
    try {
      printed = waitForLine(childOut, "  2/8 files", child);
    } finally {
      child.destroyForcibly(); // SIGKILL on Linux and macOS: no close(), no shutdown hooks
      assertTrue(child.waitFor(10, TimeUnit.SECONDS), "child killed");
    }
    String id = printed.get(0).substring("job ".length());

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Object result =
        TourMain.run(tmp.resolve("jobkit.db"), json, new PrintStream(bytes, true, UTF_8));

    String out = bytes.toString(UTF_8);
    assertTrue(out.startsWith("job " + id + "\n"), "the same job: " + out);
    assertTrue(resumedAt(out) >= 3, "resumed after the checkpointed files: " + out);
    assertEquals(input.expected(), result, "no file counted twice or missed");
    assertEquals(2, attempts(tmp.resolve("jobkit.db"), id), "the killed attempt counts");
  }

  private static int attempts(Path db, String id) {
    try (JobManager jobs = JobManager.builder().database(db).noWorkers().open()) {
      return jobs.job(id).orElseThrow().attempts();
    }
  }

  private static int resumedAt(String out) {
    Matcher m = RESUMED.matcher(out);
    if (!m.find()) {
      fail("no resume logged: " + out);
    }
    return Integer.parseInt(m.group(1));
  }

  /** Waits up to 20 s for the child to print {@code line}, and returns what it printed. */
  private static List<String> waitForLine(Path file, String line, Process child) {
    return await("the child to print '" + line + "'")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              List<String> lines =
                  Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, UTF_8)) : List.of();
              if (!lines.contains(line) && !child.isAlive()) {
                fail(
                    "child exited with "
                        + child.exitValue()
                        + " before printing '"
                        + line
                        + "': "
                        + lines);
              }
              return lines;
            },
            lines -> lines.contains(line));
  }
}
