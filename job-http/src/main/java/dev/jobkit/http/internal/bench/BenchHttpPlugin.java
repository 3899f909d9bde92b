package dev.jobkit.http.internal.bench;

import dev.jobkit.JobRegistry;
import dev.jobkit.cli.CliPlugin;
import dev.jobkit.http.JobkitServer;
import dev.jobkit.http.internal.Json;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code jobkit bench-http}: the HTTP figures of issue #11 on a scratch SQLite file: submit latency
 * (p50/p99, one keep-alive connection), submit throughput over 16 keep-alive connections, SSE delay
 * from a progress call to 200 connected clients (p99), and the jobs list over a large table (p95
 * per filter). {@code --quick} is a smoke run.
 */
public final class BenchHttpPlugin implements CliPlugin {
  /** Found by the CLI with {@link java.util.ServiceLoader}. */
  public BenchHttpPlugin() {}

  @Override
  public String name() {
    return "bench-http";
  }

  @Override
  public String description() {
    return "Benchmark the HTTP API on a scratch SQLite file (submit, SSE, list); --quick for a smoke run.";
  }

  @Override
  public int run(List<String> args, PrintWriter out, PrintWriter err, boolean verbose) {
    boolean quick = args.contains("--quick");
    int listJobs = quick ? 20_000 : 1_000_000;
    int clients = quick ? 20 : 200;
    Duration window = quick ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
    String only = null;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--quick" -> {}
        case "--list-jobs" -> listJobs = Integer.parseInt(args.get(++i));
        case "--sse-clients" -> clients = Integer.parseInt(args.get(++i));
        case "--only" -> {
          only = i + 1 < args.size() ? args.get(++i) : "";
          if (!List.of("submit", "sse", "list").contains(only)) {
            err.println(
                "jobkit: error: bench-http: --only '"
                    + only
                    + "' is not a part; use --only submit, sse or list");
            return 2;
          }
        }
        default -> {
          err.println(
              "jobkit: error: bench-http: unknown option '"
                  + args.get(i)
                  + "'; use --quick, --list-jobs N, --sse-clients N, --only submit|sse|list");
          return 2;
        }
      }
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("jobkit-bench-http");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JobRegistry registry = JobRegistry.of(List.of(new HttpBenchJob_Registration()));
    try {
      if (only == null || only.equals("submit")) {
        submit(dir.resolve("submit.db"), registry, quick, window, out);
      }
      if (only == null || only.equals("sse")) {
        sse(dir.resolve("sse.db"), registry, clients, quick, out);
      }
      if (only == null || only.equals("list")) {
        list(dir.resolve("list.db"), registry, listJobs, quick, out);
      }
      return 0;
    } catch (Exception e) {
      err.println("jobkit: error: bench-http: " + e);
      if (verbose) {
        e.printStackTrace(err);
      }
      return 1;
    } finally {
      deleteQuietly(dir);
    }
  }

  private static final String BODY =
      "{\"name\":\"bench.http\",\"params\":{\"steps\":0,\"delayMs\":0}}";

  private static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  private static HttpRequest post(URI u) {
    return HttpRequest.newBuilder(u)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BODY))
        .build();
  }

  /** One client connection that submits a job and returns the status code. */
  @FunctionalInterface
  private interface Submitter {
    int submit() throws IOException, InterruptedException;
  }

  /** Opens one connection of a client kind. */
  @FunctionalInterface
  private interface Connector {
    Submitter open() throws IOException;
  }

  private static void submit(
      Path db, JobRegistry registry, boolean quick, Duration window, PrintWriter out)
      throws Exception {
    try (JobManager jobs = JobManager.builder().database(db).registry(registry).noWorkers().open();
        JobkitServer server = serverFor(jobs)) {
      URI u = server.uri().resolve("api/v1/jobs");
      int n = quick ? 500 : 5_000;
      direct(jobs, n, window, out);
      List<java.io.Closeable> open = new java.util.concurrent.CopyOnWriteArrayList<>();
      Connector raw =
          () -> {
            RawHttpClient c = new RawHttpClient(u, BODY);
            open.add(c);
            return () -> c.post().status();
          };
      Connector jdk =
          () -> {
            HttpClient c = client();
            return () -> c.send(post(u), HttpResponse.BodyHandlers.discarding()).statusCode();
          };
      try {
        // The raw-socket client costs the shared CPU far less than java.net.http's (see
        // docs/http.md, "Benchmark"): its lines are the figures; the JDK client's are for contrast.
        latency("raw socket client", raw, n, out);
        latency("java.net.http client", jdk, n, out);
        throughput("raw socket client", raw, window, out);
        throughput("java.net.http client", jdk, window, out);
        emptyServer(window, out);
      } finally {
        for (java.io.Closeable c : open) {
          c.close();
        }
      }
    }
  }

  /**
   * The floor of the HTTP layer: the same JDK server, executor and client with a handler that only
   * reads the body and answers 201 with a job-sized JSON body, no database and no routing.
   */
  private static void emptyServer(Duration window, PrintWriter out) throws Exception {
    com.sun.net.httpserver.HttpServer s =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 256);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(
            16,
            r -> {
              Thread t = new Thread(r, "bench-empty-http");
              t.setDaemon(true);
              return t;
            });
    byte[] answer = new byte[320];
    Arrays.fill(answer, (byte) ' ');
    answer[0] = '{';
    answer[answer.length - 1] = '}';
    s.setExecutor(pool);
    s.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(201, answer.length);
          try (var o = ex.getResponseBody()) {
            o.write(answer);
          }
        });
    s.start();
    List<java.io.Closeable> open = new java.util.concurrent.CopyOnWriteArrayList<>();
    URI u = URI.create("http://127.0.0.1:" + s.getAddress().getPort() + "/api/v1/jobs");
    try {
      throughput(
          "HTTP floor (JDK server with an empty handler, no database, 16 keep-alive connections",
          "raw socket client",
          () -> {
            RawHttpClient c = new RawHttpClient(u, BODY);
            open.add(c);
            return () -> c.post().status();
          },
          window,
          out);
    } finally {
      for (java.io.Closeable c : open) {
        c.close();
      }
      s.stop(0);
      pool.shutdownNow();
    }
  }

  private static JobkitServer serverFor(JobManager jobs) {
    JobkitServer.Builder b = JobkitServer.builder(jobs).port(0);
    Integer threads = Integer.getInteger("bench.threads");
    if (threads != null) {
      b.threads(threads);
    }
    return b.start();
  }

  private static void latency(String kind, Connector client, int n, PrintWriter out)
      throws Exception {
    Submitter c = client.open();
    for (int i = 0; i < n / 5; i++) {
      check(c.submit());
    }
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      int status = c.submit();
      t[i] = System.nanoTime() - t0;
      check(status);
    }
    Arrays.sort(t);
    out.printf(
        "submit latency (SQLite, 1 keep-alive connection, %s, %d submits): p50 %.2f ms, p99 %.2f"
            + " ms%n",
        kind, n, pct(t, 50) / 1e6, pct(t, 99) / 1e6);
    out.flush();
  }

  private static void throughput(String kind, Connector client, Duration window, PrintWriter out)
      throws Exception {
    throughput("submit throughput (SQLite, 16 keep-alive connections", kind, client, window, out);
  }

  private static void throughput(
      String what, String kind, Connector client, Duration window, PrintWriter out)
      throws Exception {
    int threads = 16;
    List<Submitter> conns = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      Submitter c = client.open();
      check(c.submit());
      conns.add(c);
    }
    AtomicLong done = new AtomicLong();
    java.util.concurrent.atomic.AtomicReference<Exception> failed =
        new java.util.concurrent.atomic.AtomicReference<>();
    // The same load first, unmeasured, so that the JIT compiler is done with the hot paths.
    long start = System.nanoTime() + warmUp(window).toNanos();
    long end = start + window.toNanos();
    List<Thread> ts = new ArrayList<>();
    for (Submitter c : conns) {
      Thread th =
          new Thread(
              () -> {
                try {
                  for (long now = System.nanoTime(); now < end; ) {
                    check(c.submit());
                    now = System.nanoTime();
                    if (now >= start && now < end) {
                      done.incrementAndGet();
                    }
                  }
                } catch (Exception e) {
                  failed.compareAndSet(null, e);
                }
              });
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) {
      th.join();
    }
    if (failed.get() != null) {
      throw failed.get();
    }
    double secs = window.toNanos() / 1e9;
    out.printf(
        "%s, %s, %.0f s after %.1f s warm-up): %.0f jobs/s%n",
        what, kind, secs, warmUp(window).toNanos() / 1e9, done.get() / secs);
    out.flush();
  }

  /** The unmeasured load before a throughput window: 3 s, or 0.5 s in a quick run. */
  private static Duration warmUp(Duration window) {
    return window.compareTo(Duration.ofSeconds(5)) < 0
        ? Duration.ofMillis(500)
        : Duration.ofSeconds(3);
  }

  private static void check(int status) {
    if (status != 201) {
      throw new IllegalStateException("submit answered " + status + ", expected 201");
    }
  }

  /**
   * The same submits straight into the manager, in the same run and on the same file: the rate the
   * HTTP layer is measured against.
   */
  private static void direct(JobManager jobs, int n, Duration window, PrintWriter out)
      throws InterruptedException {
    String params = "{\"steps\":0,\"delayMs\":0}";
    for (int i = 0; i < n / 5; i++) {
      jobs.dispatchByName("bench.http", params);
    }
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      jobs.dispatchByName("bench.http", params);
      t[i] = System.nanoTime() - t0;
    }
    Arrays.sort(t);
    out.printf(
        "direct dispatchByName (same file, no HTTP, %d submits): p50 %.2f ms, p99 %.2f ms%n",
        n, pct(t, 50) / 1e6, pct(t, 99) / 1e6);
    // What the HTTP submit adds to a dispatch: it reads the stored job back for its answer.
    String id = jobs.dispatchByName("bench.http", params).id();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      jobs.job(id).orElseThrow();
      t[i] = System.nanoTime() - t0;
    }
    Arrays.sort(t);
    out.printf(
        "direct job(id) read back (same file, no HTTP, %d reads): p50 %.2f ms, p99 %.2f ms%n",
        n, pct(t, 50) / 1e6, pct(t, 99) / 1e6);
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + window.toNanos();
    List<Thread> ts = new ArrayList<>();
    for (int k = 0; k < 16; k++) {
      Thread th =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  jobs.dispatchByName("bench.http", params);
                  done.incrementAndGet();
                }
              });
      th.start();
      ts.add(th);
    }
    long t0 = System.nanoTime();
    for (Thread th : ts) {
      th.join();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    out.printf(
        "direct dispatchByName throughput (16 threads, %.0f s): %.0f jobs/s%n",
        secs, done.get() / secs);
    out.flush();
  }

  private static void sse(Path db, JobRegistry registry, int n, boolean quick, PrintWriter out)
      throws Exception {
    try (JobManager jobs =
            JobManager.builder()
                .database(db)
                .registry(registry)
                .workers("default", 2)
                .pollInterval(Duration.ofMillis(20))
                .open();
        JobkitServer server = JobkitServer.builder(jobs).port(0).start()) {
      URI stream = server.uri().resolve("api/v1/stream");
      int steps = quick ? 20 : 100;
      long[][] delays = new long[n][];
      CountDownLatch connected = new CountDownLatch(n);
      CountDownLatch finished = new CountDownLatch(n);
      List<InputStream> streams = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int idx = i;
        HttpResponse<InputStream> r =
            client()
                .send(
                    HttpRequest.newBuilder(stream).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        streams.add(r.body());
        Thread t =
            new Thread(
                () -> {
                  List<Long> mine = new ArrayList<>();
                  try (BufferedReader rd =
                      new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    connected.countDown();
                    for (String line; (line = rd.readLine()) != null; ) {
                      if (line.startsWith("data: ") && line.contains("\"steps\"")) {
                        long now = System.nanoTime();
                        Map<String, Json.Node> p =
                            Json.read(line.substring(6)).object().get("progress").object();
                        mine.add(now - Long.parseLong((String) p.get("message").value()));
                        if (((Number) p.get("done").value()).intValue() == steps) {
                          break;
                        }
                      }
                    }
                  } catch (IOException e) {
                    // closed
                  }
                  delays[idx] = mine.stream().mapToLong(Long::longValue).toArray();
                  finished.countDown();
                },
                "bench-sse-" + i);
        t.setDaemon(true);
        t.start();
      }
      connected.await();
      jobs.dispatchByName("bench.http", "{\"steps\":" + steps + ",\"delayMs\":20}");
      finished.await(2, java.util.concurrent.TimeUnit.MINUTES);
      for (InputStream s : streams) {
        s.close();
      }
      long[] all =
          Arrays.stream(delays)
              .filter(d -> d != null)
              .flatMapToLong(Arrays::stream)
              .sorted()
              .toArray();
      out.printf(
          "SSE (%d clients, %d progress calls): %d deliveries, delay p50 %.1f ms, p99 %.1f ms%n",
          n, steps, all.length, pct(all, 50) / 1e6, pct(all, 99) / 1e6);
      out.flush();
    }
  }

  private static void list(Path db, JobRegistry registry, int total, boolean quick, PrintWriter out)
      throws Exception {
    try (JobManager jobs =
        JobManager.builder().database(db).registry(registry).noWorkers().open()) {
      long t0 = System.nanoTime();
      int batch = 10_000;
      for (int done = 0; done < total; done += batch) {
        int k = done / batch;
        List<HttpBenchJob> b = new ArrayList<>(batch);
        for (int i = 0; i < Math.min(batch, total - done); i++) {
          b.add(new HttpBenchJob());
        }
        DispatchOptions.Builder o =
            DispatchOptions.builder().queue("q" + (k % 4)).tags("t" + (k % 10));
        if (k % 3 == 0) {
          o.delay(Duration.ofDays(1));
        }
        jobs.dispatchAll(b, o.build());
      }
      out.printf("list: %d jobs inserted in %.1f s%n", total, (System.nanoTime() - t0) / 1e9);
      out.flush();
      try (JobkitServer server = JobkitServer.builder(jobs).port(0).start()) {
        HttpClient c = client();
        URI base = server.uri();
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("none", "api/v1/jobs");
        filters.put("state", "api/v1/jobs?state=SCHEDULED");
        filters.put("name", "api/v1/jobs?name=bench.http");
        filters.put("tag", "api/v1/jobs?tag=t3");
        filters.put("queue", "api/v1/jobs?queue=q2");
        filters.put("q (tag)", "api/v1/jobs?q=t7");
        // Matches nothing: the search reads every row's error text (the worst case of q).
        filters.put("q (no match)", "api/v1/jobs?q=no-such-text");
        filters.put("state+queue", "api/v1/jobs?state=QUEUED&queue=q1");
        for (Map.Entry<String, String> f : filters.entrySet()) {
          // A search that matches nothing reads every row: fewer requests, or it takes minutes.
          int n = f.getKey().startsWith("q (no") ? 20 : quick ? 50 : 300;
          URI u = base.resolve(f.getValue());
          for (int i = 0; i < n / 5; i++) {
            c.send(HttpRequest.newBuilder(u).GET().build(), HttpResponse.BodyHandlers.discarding());
          }
          long[] t = new long[n];
          for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            HttpResponse<Void> r =
                c.send(
                    HttpRequest.newBuilder(u).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            t[i] = System.nanoTime() - s;
            if (r.statusCode() != 200) {
              throw new IllegalStateException(f.getValue() + " answered " + r.statusCode());
            }
          }
          Arrays.sort(t);
          out.printf(
              "list %-12s (%d jobs, 50 per page): p50 %.2f ms, p95 %.2f ms%n",
              f.getKey(), total, pct(t, 50) / 1e6, pct(t, 95) / 1e6);
          out.flush();
        }
      }
    }
  }

  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static void deleteQuietly(Path dir) {
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a scratch directory under the temp dir
    }
  }
}
