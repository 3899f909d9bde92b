package dev.jobkit.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobkit worker} as its own process: it runs a job submitted with {@code jobkit submit},
 * and on SIGTERM checkpoints it, gives it back and exits 0; the job then resumes elsewhere.
 */
class WorkerProcessTest {
  @TempDir Path dir;

  @Test
  void workerRunsSubmittedJobsAndStopsGracefullyOnSigterm() throws Exception {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    Path stderr = dir.resolve("worker.stderr");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process worker = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-Dorg.jooq.no-logo=true", "-Dorg.jooq.no-tips=true",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), Jobkit.class.getName(),
        "--db", cli.db.toString(), "worker", "--workers", "1", "--poll-interval", "50ms",
        "--shutdown-grace", "5s")
        .redirectError(stderr.toFile())
        .start();
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (IOException e) {
        // ends with the process
      }
    });
    pump.setDaemon(true);
    pump.start();
    try {
      String ready = await(lines, l -> l.startsWith("worker "), worker, stderr);
      assertTrue(ready.matches("worker \\S+:\\d+:\\d+:[0-9a-f]+ ready: queues default \\(1 worker each\\) on .*"),
          ready);

      String id = cli.submit("cli.steps", "{\"total\":40,\"delayMs\":50}");
      String started = await(lines, l -> l.contains(" started "), worker, stderr);
      assertTrue(started.matches("\\S+Z started +" + id + " cli\\.steps \\(attempt 1\\)"), started);

      try (JobManager jobs = JobManager.builder().database(cli.db).noWorkers().open()) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProgressView.parse(jobs.job(id).orElseThrow().progressJson())
            .map(p -> p.done() < 3).orElse(true)) {
          if (System.nanoTime() > deadline) {
            fail("no progress within 10 s");
          }
          Thread.sleep(20);
        }
      }

      // SIGTERM; unlike Process.destroy(), this keeps our end of the worker's stdout open.
      worker.toHandle().destroy();
      assertTrue(worker.waitFor(20, TimeUnit.SECONDS), "worker did not stop on SIGTERM");
      pump.join(5000);
      List<String> rest = new ArrayList<>();
      lines.drainTo(rest);
      assertEquals(0, worker.exitValue(), "exit code after SIGTERM; stdout " + rest
          + "\nstderr:\n" + Files.readString(stderr));
      assertTrue(rest.stream().anyMatch(l -> l.matches("worker \\S+:\\d+:\\d+:[0-9a-f]+ stopped")), rest.toString());

      String status = cli.run("status", id, "--json").ok().out();
      assertTrue(status.contains("\"state\" : \"QUEUED\""), "given back on shutdown: " + status);
      ProgressView saved = ProgressView.parse(Optional.of(
          status.replaceAll("(?s).*\"progress\" : (\\{[^}]*\\}).*", "$1"))).orElseThrow();
      assertTrue(saved.done() >= 3 && saved.done() < 40, status);

      // Another worker resumes it from its checkpoint; watch exits 0 when it completes.
      try (JobManager jobs = cli.workers()) {
        assertTrue(jobs.health().isHealthy());
        String out = cli.run("status", id.substring(0, 13), "--watch", "--interval", "50ms").ok().out();
        assertTrue(out.contains("state     COMPLETED"), out);
        String output = cli.run("results", id).ok().line();
        assertTrue(output.matches("\"done 40 from (\\d+) resumed=true\""), output);
        int from = Integer.parseInt(output.replaceAll("\\D*40 from (\\d+).*", "$1"));
        assertTrue(from >= saved.done(), output + " vs " + saved);
      }
    } finally {
      worker.destroyForcibly();
    }
  }

  private static String await(LinkedBlockingQueue<String> lines, Predicate<String> wanted,
      Process p, Path stderr) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      String l = lines.poll(100, TimeUnit.MILLISECONDS);
      if (l != null && wanted.test(l)) {
        return l;
      }
      if (l == null && !p.isAlive()) {
        fail("worker exited " + p.exitValue() + ": " + Files.readString(stderr));
      }
    }
    fail("worker printed no expected line within 20 s; stderr: " + Files.readString(stderr));
    return null;
  }
}
