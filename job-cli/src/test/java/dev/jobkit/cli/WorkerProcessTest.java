package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobkit worker} as its own process: it runs a job submitted with {@code jobkit submit}, and
 * on SIGTERM checkpoints it, gives it back and exits 0; the job then resumes elsewhere. On
 * PostgreSQL it is a node of the cluster.
 */
class WorkerProcessTest {
  @TempDir Path dir;

  /** A {@code jobkit worker} process, its stdout as lines, its stderr in a file. */
  record WorkerProcess(
      Process process, LinkedBlockingQueue<String> lines, Thread pump, Path stderr) {
    /** Waits up to 20 s for a line that {@code wanted} accepts, skipping others. */
    String await(Predicate<String> wanted) throws Exception {
      return WorkerProcessTest.await(lines, wanted, process, stderr);
    }
  }

  /**
   * Starts {@code jobkit --db LOCATION worker ARGS...} in {@code dir} with the test's class path
   * and {@code env} added to this process's environment.
   */
  static WorkerProcess startWorker(
      Path dir, String location, Map<String, String> env, String... args) throws IOException {
    Path stderr = dir.resolve("worker.stderr");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.jooq.no-logo=true",
                "-Dorg.jooq.no-tips=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                Jobkit.class.getName(),
                "--db",
                location,
                "worker"));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectError(stderr.toFile());
    pb.environment().putAll(env);
    Process worker = pb.start();
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
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
    return new WorkerProcess(worker, lines, pump, stderr);
  }

  @Test
  void workerRunsSubmittedJobsAndStopsGracefullyOnSigterm() throws Exception {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    WorkerProcess w =
        startWorker(
            dir,
            cli.db.toAbsolutePath().toString(),
            Map.of(),
            "--workers",
            "1",
            "--poll-interval",
            "50ms",
            "--shutdown-grace",
            "5s");
    Process worker = w.process();
    Path stderr = w.stderr();
    LinkedBlockingQueue<String> lines = w.lines();
    Thread pump = w.pump();
    try {
      String ready = await(lines, l -> l.startsWith("worker "), worker, stderr);
      assertTrue(
          ready.matches(
              "worker \\S+:\\d+:\\d+:[0-9a-f]+ ready: queues default \\(1 worker each\\) on .*"),
          ready);

      String id = cli.submit("cli.steps", "{\"total\":40,\"delayMs\":50}");
      String started = await(lines, l -> l.contains(" started "), worker, stderr);
      assertTrue(started.matches("\\S+Z started +" + id + " cli\\.steps \\(attempt 1\\)"), started);

      try (JobManager jobs = JobManager.builder().database(cli.db).noWorkers().open()) {
        Awaitility.await("job " + id + " to report 3 items done")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () ->
                    ProgressView.parse(jobs.job(id).orElseThrow().progressJson())
                        .map(p -> p.done() >= 3)
                        .orElse(false));
      }

      // SIGTERM; unlike Process.destroy(), this keeps our end of the worker's stdout open.
      worker.toHandle().destroy();
      assertTrue(worker.waitFor(20, TimeUnit.SECONDS), "worker did not stop on SIGTERM");
      pump.join(5000);
      List<String> rest = new ArrayList<>();
      lines.drainTo(rest);
      assertEquals(
          0,
          worker.exitValue(),
          "exit code after SIGTERM; stdout " + rest + "\nstderr:\n" + Files.readString(stderr));
      assertTrue(
          rest.stream().anyMatch(l -> l.matches("worker \\S+:\\d+:\\d+:[0-9a-f]+ stopped")),
          rest.toString());

      String status = cli.run("status", id, "--json").ok().out();
      assertTrue(status.contains("\"state\" : \"QUEUED\""), "given back on shutdown: " + status);
      ProgressView saved =
          ProgressView.parse(
                  Optional.of(status.replaceAll("(?s).*\"progress\" : (\\{[^}]*\\}).*", "$1")))
              .orElseThrow();
      assertTrue(saved.done() >= 3 && saved.done() < 40, status);

      // Another worker resumes it from its checkpoint; watch exits 0 when it completes.
      try (JobManager jobs = cli.workers()) {
        assertTrue(jobs.health().isHealthy());
        String out =
            cli.run("status", id.substring(0, 13), "--watch", "--interval", "50ms").ok().out();
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

  /**
   * On PostgreSQL the worker is a node: it registers (and deregisters when stopped), prints the
   * "ready" line before the events of a job that waited for it, starts a job submitted by another
   * process at once, woken by NOTIFY rather than by its poll (30 s here), and stops a running job
   * that {@code jobkit cancel} cancels.
   */
  @Test
  void workerOnPostgresIsANodeWokenByNotifications() throws Exception {
    CliHarness cli = new CliHarness(TestDatabase.postgres());
    String early = cli.submit("cli.echo", "{\"text\":\"early\",\"lines\":1}");
    WorkerProcess w =
        startWorker(
            dir,
            cli.location,
            cli.env,
            "--workers",
            "2",
            "--poll-interval",
            "30s",
            "--shutdown-grace",
            "5s");
    try {
      String ready = w.await(l -> true);
      Matcher m =
          Pattern.compile(
                  "worker (\\S+:\\d+:\\d+:[0-9a-f]+) ready: queues default "
                      + "\\(2 workers each\\) on "
                      + Pattern.quote(cli.location)
                      + " \\(schema public\\)")
              .matcher(ready);
      assertTrue(m.matches(), "the first line is the ready line: " + ready);
      String owner = m.group(1);
      w.await(l -> l.matches("\\S+Z completed +" + early + " cli\\.echo \\(after .*\\)"));
      assertEquals(List.of(owner), nodes(cli.location));

      String next = cli.submit("cli.steps", "{\"total\":3,\"delayMs\":10}");
      long submitted = System.nanoTime();
      w.await(l -> l.matches("\\S+Z started +" + next + " cli\\.steps \\(attempt 1\\)"));
      Duration took = Duration.ofNanos(System.nanoTime() - submitted);
      assertTrue(
          took.compareTo(Duration.ofSeconds(15)) < 0,
          "started after " + took + ": not woken by NOTIFY (the poll interval is 30s)");
      w.await(l -> l.contains(" completed ") && l.contains(next));

      String slow = cli.submit("cli.steps", "{\"total\":400,\"delayMs\":50}");
      w.await(l -> l.contains(" started ") && l.contains(slow));
      assertTrue(cli.run("cancel", slow).ok().line().contains("cancel requested"));
      w.await(l -> l.contains(" cancelled ") && l.contains(slow));

      w.process().toHandle().destroy(); // SIGTERM
      assertTrue(w.process().waitFor(20, TimeUnit.SECONDS), "worker did not stop on SIGTERM");
      w.pump().join(5000);
      List<String> rest = new ArrayList<>();
      w.lines().drainTo(rest);
      assertEquals(
          0,
          w.process().exitValue(),
          "exit code after SIGTERM; stdout " + rest + "\nstderr:\n" + Files.readString(w.stderr()));
      assertTrue(rest.contains("worker " + owner + " stopped"), rest.toString());
      assertEquals(List.of(), nodes(cli.location), "a stopped node deregisters");
      String stderr = Files.readString(w.stderr());
      assertFalse(
          stderr.contains("WARNING:") || stderr.contains("SEVERE:"),
          "the driver's java.util.logging is quiet: " + stderr);
      assertEquals("\"EARLY\"", cli.run("results", early).ok().line());
      assertEquals("\"done 3 from 0 resumed=false\"", cli.run("results", next).ok().line());
      assertTrue(cli.run("status", slow).ok().out().contains("state     CANCELLED"));
    } finally {
      w.process().destroyForcibly();
    }
  }

  /** The ids in {@code jobkit_nodes} of the database at {@code url}. */
  private static List<String> nodes(String url) throws SQLException {
    Properties p = new Properties();
    CliHarness.putIfNotNull(p, "user", EmbeddedPostgresSupport.user());
    CliHarness.putIfNotNull(p, "password", EmbeddedPostgresSupport.password());
    List<String> ids = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, p);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM jobkit_nodes ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  static String await(
      LinkedBlockingQueue<String> lines, Predicate<String> wanted, Process p, Path stderr)
      throws Exception {
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
