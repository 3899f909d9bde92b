package dev.jobkit.runtime.bench;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One worker node of {@link PostgresBenchmark}, run as a child JVM so that "n nodes on one machine"
 * are n processes with their own JIT, GC and connections. Not a test.
 *
 * <p>Arguments {@code key=value}: {@code mode} ({@code drain} or {@code latency}), {@code url} and
 * {@code user} of the benchmark database, {@code workers}, {@code pollMs}, and for a drain node
 * {@code warmUrl}, {@code warmSchema}, {@code warmJobs} (a warm-up drain of its own in another
 * database, so the measured drain runs on a JIT-compiled node).
 *
 * <p>Protocol, one line each way: the node prints {@code READY} once warmed up (a drain node) or
 * once its manager is open (a latency node, which also prints {@code RAN n micros} when job n
 * starts). It reads {@code GO} (a drain node opens its manager then and prints {@code OPENED ms})
 * and {@code STOP} (it closes its manager, prints {@code STOPPED} and exits). Logs go to stderr.
 */
public final class PostgresBenchNode {
  private PostgresBenchNode() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String url = a.get("url");
    String user = a.get("user") == null || a.get("user").equals("null") ? null : a.get("user");
    String password = System.getenv("JOBKIT_PG_PASSWORD");
    int workers = Integer.parseInt(a.getOrDefault("workers", "8"));
    Duration poll = Duration.ofMillis(Long.parseLong(a.getOrDefault("pollMs", "500")));
    Path data = Files.createTempDirectory("jobkit-bench-node");

    JobManager m = null;
    if (a.get("mode").equals("latency")) {
      BenchStampJob.onStart = (n, micros) -> out.println("RAN " + n + " " + micros);
      m =
          JobManager.builder()
              .postgres(url, user, password)
              .workers("bench", workers)
              .pollInterval(poll)
              .dataDirectory(data)
              .open();
      out.println("READY");
    } else {
      int warm = Integer.parseInt(a.getOrDefault("warmJobs", "0"));
      if (warm > 0) {
        warmUp(a.get("warmUrl"), user, password, a.get("warmSchema"), workers, warm, data);
      }
      out.println("READY");
    }
    for (String line; (line = in.readLine()) != null; ) {
      if (line.equals("GO") && m == null) {
        long t0 = System.nanoTime();
        m =
            JobManager.builder()
                .postgres(url, user, password)
                .workers("bench", workers)
                .pollInterval(poll)
                .dataDirectory(data)
                .open();
        out.printf("OPENED %.1f%n", (System.nanoTime() - t0) / 1e6);
      } else if (line.equals("STOP")) {
        break;
      }
    }
    if (m != null) {
      m.close();
    }
    try (Stream<Path> files = Files.walk(data)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    out.println("STOPPED");
    System.exit(0);
  }

  /** Dispatches and drains {@code n} no-op jobs in a schema of its own, then closes. */
  private static void warmUp(
      String url, String user, String password, String schema, int workers, int n, Path data)
      throws InterruptedException {
    try (JobManager m =
        JobManager.builder()
            .postgres(url, user, password)
            .postgresSchema(schema)
            .workers("bench", workers)
            .dataDirectory(data)
            .open()) {
      BenchStampJob.RUNS.set(0);
      for (int i = 0; i < n; i += 1000) {
        List<BenchStampJob> batch = new ArrayList<>(1000);
        for (int j = i; j < Math.min(n, i + 1000); j++) {
          batch.add(new BenchStampJob(j));
        }
        m.dispatchAll(batch, DispatchOptions.defaults());
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (BenchStampJob.RUNS.get() < n && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }
    BenchStampJob.RUNS.set(0);
  }
}
