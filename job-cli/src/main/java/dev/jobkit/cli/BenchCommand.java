package dev.jobkit.cli;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jobkit bench}: measures jobkit on the database of {@code --db} (its disk or server) next
 * to that database's raw SQL rates, on scratch databases that are removed afterwards ({@link
 * BenchScratch}); see {@link Benchmark} for what is measured.
 */
@Command(
    name = "bench",
    description = {
      "Measure jobkit on this database next to its raw SQL rates: dispatch one by one and in "
          + "batches, the drain of no-op jobs, dispatch-to-start latency.",
      "Runs on scratch databases (SQLite: a directory next to the --db file; PostgreSQL: schemas "
          + "jobkit_bench_*) that are removed at the end; the database itself is not touched."
    })
final class BenchCommand extends JobkitCommand {
  @Option(
      names = "--jobs",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Jobs (and raw rows) per throughput measurement. Default: ${DEFAULT-VALUE}.")
  int jobs;

  @Option(
      names = "--workers",
      paramLabel = "N",
      defaultValue = "8",
      description = "Worker threads of the drain. Default: ${DEFAULT-VALUE}.")
  int workers;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "16",
      description =
          "Threads that dispatch one by one at once (concurrent dispatch)."
              + " Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(
      names = "--reps",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Repetitions of every measurement; the median is reported. "
              + "Default: ${DEFAULT-VALUE} (with --limits: "
              + LimitsBench.DEFAULT_ROUNDS
              + ").")
  int reps;

  @Spec CommandSpec spec;

  @Option(
      names = "--list-jobs",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Also time listing (p95 of pages by state and by name) with N jobs stored;"
              + " 0 skips it. Default: ${DEFAULT-VALUE}.")
  int listJobs;

  @Option(
      names = "--retention",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Instead of the figures above (SQLite only): fill a file with N jobs that finished 8"
              + " days ago and compare the drain of --workers workers under a steady load with"
              + " retention deleting them and without. Default: ${DEFAULT-VALUE} (off).")
  int retention;

  @Option(
      names = "--schedules",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Instead of the figures above: N schedules fire every second for 30 s with --workers"
              + " workers; reports how long after its slot each job started (p50, p99, max)."
              + " Default: ${DEFAULT-VALUE} (off).")
  int schedules;

  @Option(
      names = "--graph",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Instead of the figures above: the plain drain of N no-op jobs against a fan-out/fan-in"
              + " graph of N jobs (one root, N-2 children, one sink waiting for all), each"
              + " dispatched in one transaction. Default: ${DEFAULT-VALUE} (off).")
  int graph;

  @Option(
      names = "--limits",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Instead of the figures above: the drain of N no-op jobs without limits and with a"
              + " concurrency and a rate limit that never bind (#12 limits), alternately,"
              + " --reps times each; prints both medians. Default: ${DEFAULT-VALUE} (off).")
  int limits;

  @Option(
      names = "--tenants",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Instead of the figures above: fair claiming (#14). Tenant A queues N no-op jobs;"
              + " once --workers workers have started some, tenant B dispatches 10; reports how"
              + " long after their dispatch B's first and last jobs started (medians of --reps)."
              + " Default: ${DEFAULT-VALUE} (off).")
  int tenants;

  @Option(names = "--json", description = "Print the results as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    jobkit.noTenant("bench", "measures scratch databases"); // #14 tenants
    positive("--jobs", jobs);
    positive("--workers", workers);
    positive("--threads", threads);
    if (listJobs < 0 || (listJobs > 0 && listJobs < 10_000)) {
      throw new CliException(
          ExitCodes.USAGE, "--list-jobs must be 0 (skip) or at least 10000, got " + listJobs);
    }
    positive("--reps", reps);
    int samples = Math.min(1_000, Math.max(50, jobs / 10));
    Benchmark.Settings settings =
        new Benchmark.Settings(jobs, workers, threads, reps, samples, listJobs);
    BenchScratch scratch = BenchScratch.create(jobkit.target());
    if (retention != 0) {
      return retentionBench(scratch);
    }
    if (schedules != 0) {
      return scheduleBench(scratch);
    }
    if (graph != 0) {
      return graphBench(scratch);
    }
    if (limits != 0) {
      return limitsBench(scratch);
    }
    if (tenants != 0) {
      return tenantsBench(scratch);
    }
    // Ctrl-C: the JVM runs shutdown hooks, and this one removes the scratch databases.
    PrintWriter err = err();
    Thread cleanup =
        new Thread(
            () -> {
              try {
                scratch.close();
              } catch (RuntimeException e) {
                err.println("jobkit: error: " + e.getMessage());
                err.flush();
              }
            },
            "jobkit-bench-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    ProgressBar bar = jobkit.terminal() && !json ? new ProgressBar(err()) : null;
    Benchmark.Result result;
    try {
      if (!json) {
        out()
            .printf(
                Locale.ROOT,
                "jobkit bench: %s, %d jobs, %d workers, %d rep%s (scratch: %s)%n",
                scratch.kind(),
                jobs,
                workers,
                reps,
                reps == 1 ? "" : "s",
                scratch.where());
        out().flush();
      }
      result = new Benchmark(scratch, settings, bar != null ? bar::update : (f, p) -> {}).run();
    } finally {
      if (bar != null) {
        bar.clear();
      }
      try {
        scratch.close();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
          // The JVM is shutting down already; the hook calls close() again, which does nothing.
        }
      }
    }
    if (json) {
      printJson(settings, scratch.kind(), result);
    } else {
      printTable(result);
    }
    if (result.ranTwice() > 0) {
      err()
          .println(
              "jobkit: error: bench: "
                  + result.ranTwice()
                  + " jobs ran more than once (each should run exactly once)");
      return ExitCodes.JOB_NOT_COMPLETED;
    }
    return ExitCodes.OK;
  }

  /** {@code --tenants N}: see {@link TenantsBench}. */
  private int tenantsBench(BenchScratch scratch) throws Exception {
    try {
      positive("--tenants", tenants);
      TenantsBench.Result r = new TenantsBench(scratch, tenants, workers, reps).run();
      out()
          .printf(
              Locale.ROOT,
              "%s, %,d jobs of tenant A queued, %d workers: tenant B's %d jobs started %.1f ms"
                  + " (first) and %.1f ms (last) after their dispatch, while %,d of A's started"
                  + " (medians of %d; last per run: %s ms)%n",
              scratch.kind(),
              r.backlog(),
              workers,
              TenantsBench.FEW,
              r.firstMs(),
              r.lastMs(),
              r.aMeanwhile(),
              reps,
              java.util.Arrays.toString(r.lastRunsMs()));
      return ExitCodes.OK;
    } finally {
      scratch.close();
    }
  }

  /** {@code --limits N}: see {@link LimitsBench}. */
  private int limitsBench(BenchScratch scratch) throws Exception {
    try {
      positive("--limits", limits);
      int rounds =
          spec.commandLine().getParseResult().hasMatchedOption("--reps")
              ? reps
              : LimitsBench.DEFAULT_ROUNDS;
      LimitsBench.Result r = new LimitsBench(scratch, limits, workers, rounds).run();
      out()
          .printf(
              Locale.ROOT,
              "%s, %d jobs, %d workers: drain without limits %.2f s (%,.0f/s), with limits that"
                  + " do not bind %.2f s (%,.0f/s): %.1f %% of the throughput (medians of %d)%n",
              scratch.kind(),
              r.jobs(),
              workers,
              r.plainSeconds(),
              r.jobs() / r.plainSeconds(),
              r.limitedSeconds(),
              r.jobs() / r.limitedSeconds(),
              100 * r.ratio(),
              rounds);
      return ExitCodes.OK;
    } finally {
      scratch.close();
    }
  }

  /** {@code --graph N}: see {@link GraphBench}. */
  private int graphBench(BenchScratch scratch) throws Exception {
    try {
      if (graph < 3) {
        throw new CliException(ExitCodes.USAGE, "--graph must be at least 3, got " + graph);
      }
      GraphBench.Result r = new GraphBench(scratch, graph, workers).run();
      out()
          .printf(
              Locale.ROOT,
              "%s, %d jobs, %d workers: plain drain %.2f s (%,.0f/s; dispatch %.2f s), fan-out/fan-in"
                  + " graph %.2f s (%,.0f/s; dispatch %.2f s): %.2f x%n",
              scratch.kind(),
              r.jobs(),
              workers,
              r.plainSeconds(),
              r.jobs() / r.plainSeconds(),
              r.plainDispatchSeconds(),
              r.graphSeconds(),
              r.jobs() / r.graphSeconds(),
              r.graphDispatchSeconds(),
              r.ratio());
      return ExitCodes.OK;
    } finally {
      scratch.close();
    }
  }

  /** {@code --schedules N}: see {@link ScheduleBench}. */
  private int scheduleBench(BenchScratch scratch) throws InterruptedException {
    try {
      positive("--schedules", schedules);
      if (!json) {
        out()
            .printf(
                Locale.ROOT,
                "jobkit bench --schedules: %s, %d schedules every second for %d s, %d workers"
                    + " (scratch: %s)%n",
                scratch.kind(),
                schedules,
                ScheduleBench.SECONDS,
                workers,
                scratch.where());
        out().flush();
      }
      ProgressBar bar = jobkit.terminal() && !json ? new ProgressBar(err()) : null;
      ScheduleBench.Result r;
      try {
        r =
            new ScheduleBench(scratch, schedules, workers, bar != null ? bar::update : (f, p) -> {})
                .run();
      } finally {
        if (bar != null) {
          bar.clear();
        }
      }
      if (json) {
        Json.write(
            out(),
            false,
            g -> {
              g.writeStartObject();
              g.writeStringField("database", scratch.kind());
              g.writeNumberField("schedules", r.schedules());
              g.writeNumberField("workers", workers);
              g.writeNumberField("fired", r.samples());
              g.writeNumberField("skipped", r.skipped());
              g.writeNumberField("fire_to_start_p50_ms", r.p50Ms());
              g.writeNumberField("fire_to_start_p99_ms", r.p99Ms());
              g.writeNumberField("fire_to_start_max_ms", r.maxMs());
              g.writeEndObject();
            });
      } else {
        out()
            .printf(
                Locale.ROOT,
                "fired %d slots (%d skipped); slot to job start: p50 %.0f ms, p99 %.0f ms, max %.0f"
                    + " ms%n",
                r.samples(),
                r.skipped(),
                r.p50Ms(),
                r.p99Ms(),
                r.maxMs());
      }
      return ExitCodes.OK;
    } finally {
      scratch.close();
    }
  }

  /** {@code --retention N}: see {@link RetentionBench}. */
  private int retentionBench(BenchScratch scratch) throws SQLException, InterruptedException {
    try {
      positive("--retention", retention);
      if (!(scratch instanceof BenchScratch.OnSqlite sqlite)) {
        throw new CliException(
            ExitCodes.USAGE,
            "bench --retention measures SQLite files only; on PostgreSQL retention deletes"
                + " through row locks that claims skip, and autovacuum reclaims the space");
      }
      if (!json) {
        out()
            .printf(
                Locale.ROOT,
                "jobkit bench --retention: sqlite, %d finished jobs older than the policy, %d"
                    + " workers (scratch: %s)%n",
                retention,
                workers,
                scratch.where());
        out().flush();
      }
      ProgressBar bar = jobkit.terminal() && !json ? new ProgressBar(err()) : null;
      RetentionBench.Result r;
      try {
        r =
            new RetentionBench(sqlite, retention, workers, bar != null ? bar::update : (f, p) -> {})
                .run();
      } finally {
        if (bar != null) {
          bar.clear();
        }
      }
      if (json) {
        Json.write(
            out(),
            false,
            g -> {
              g.writeStartObject();
              g.writeNumberField("old_jobs", r.oldJobs());
              g.writeNumberField("workers", workers);
              g.writeNumberField("fill_s", round(r.fillSeconds()));
              g.writeNumberField("size_before_bytes", r.sizeBefore());
              g.writeNumberField("retention_s", round(r.retentionSeconds()));
              g.writeNumberField("deleted", r.deleted());
              g.writeNumberField("freed_bytes", r.freedBytes());
              g.writeNumberField("drain_with_retention_per_s", round(r.withPerSecond()));
              g.writeNumberField("drain_without_retention_per_s", round(r.withoutPerSecond()));
              g.writeNumberField("size_after_bytes", r.sizeAfter());
              g.writeNumberField("size_without_retention_bytes", r.sizeWithout());
              g.writeEndObject();
            });
        return ExitCodes.OK;
      }
      PrintWriter o = out();
      o.printf(
          Locale.ROOT,
          "filled in %.1f s: %,d completed jobs with 2 events and 1 log line each, file %s%n",
          r.fillSeconds(),
          r.oldJobs(),
          StorageCommand.bytes(r.sizeBefore()));
      o.printf(
          Locale.ROOT,
          "drain under a steady load       %,10.0f/s with retention  %,10.0f/s without  ratio"
              + " %.2f%n",
          r.withPerSecond(),
          r.withoutPerSecond(),
          r.withPerSecond() / r.withoutPerSecond());
      o.printf(
          Locale.ROOT,
          "retention deleted %,d jobs in %.1f s (%,.0f/s, from the workers' start to the end of"
              + " its pass, compaction included) and gave back %s%n",
          r.deleted(),
          r.retentionSeconds(),
          r.deleted() / r.retentionSeconds(),
          StorageCommand.bytes(r.freedBytes()));
      o.printf(
          Locale.ROOT,
          "file size %s before, %s after (without retention: %s)%n",
          StorageCommand.bytes(r.sizeBefore()),
          StorageCommand.bytes(r.sizeAfter()),
          StorageCommand.bytes(r.sizeWithout()));
      return ExitCodes.OK;
    } finally {
      scratch.close();
    }
  }

  private static void positive(String option, int value) {
    if (value < 1) {
      throw new CliException(ExitCodes.USAGE, option + " must be at least 1, got " + value);
    }
  }

  private void printJson(Benchmark.Settings settings, String kind, Benchmark.Result r) {
    Json.write(
        out(),
        false,
        g -> {
          g.writeStartObject();
          for (String figure : r.runs().keySet()) {
            g.writeNumberField(figure, round(r.median(figure)));
          }
          g.writeNumberField("ran_twice", r.ranTwice());
          g.writeNumberField(
              "dispatch_single_vs_raw",
              round(r.median(Benchmark.DISPATCH_SINGLE) / r.median(Benchmark.RAW_SINGLE)));
          g.writeNumberField(
              "dispatch_concurrent_vs_single",
              round(r.median(Benchmark.DISPATCH_CONCURRENT) / r.median(Benchmark.DISPATCH_SINGLE)));
          g.writeNumberField(
              "dispatch_batch_vs_raw",
              round(r.median(Benchmark.DISPATCH_BATCH) / r.median(Benchmark.RAW_BATCH)));
          g.writeNumberField(
              "dispatch_single_vs_jobs_table",
              round(r.median(Benchmark.DISPATCH_SINGLE) / r.median(Benchmark.TABLE_SINGLE)));
          g.writeNumberField(
              "dispatch_batch_vs_jobs_table",
              round(r.median(Benchmark.DISPATCH_BATCH) / r.median(Benchmark.TABLE_BATCH)));
          g.writeNumberField("jobs", settings.jobs());
          g.writeNumberField("workers", settings.workers());
          g.writeNumberField("threads", settings.threads());
          g.writeNumberField("list_jobs", settings.listJobs());
          g.writeNumberField("reps", settings.reps());
          g.writeNumberField("latency_samples", settings.latencySamples());
          g.writeNumberField("batch_size", Benchmark.BATCH);
          g.writeStringField("database", kind);
          g.writeStringField("jobkit_version", version());
          g.writeStringField("java_version", System.getProperty("java.version"));
          g.writeNumberField("cpus", Runtime.getRuntime().availableProcessors());
          g.writeObjectFieldStart("runs");
          for (var e : r.runs().entrySet()) {
            g.writeArrayFieldStart(e.getKey());
            for (double v : e.getValue()) {
              g.writeNumber(round(v));
            }
            g.writeEndArray();
          }
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  /**
   * The line under a dispatch rate with the rate of plain SQL inserting the same number of rows
   * into a jobkit table: what the table's indexes leave for jobkit's code.
   */
  private static void table(PrintWriter out, double jobkit, double table) {
    out.printf(
        Locale.ROOT,
        "%-30s %12s/s %14s %7.2f  %s%n",
        "  raw SQL into jobkit's table",
        count(table),
        "",
        jobkit / table,
        "(ratio: jobkit to it)");
  }

  private void printTable(Benchmark.Result r) {
    PrintWriter out = out();
    String median = reps == 1 ? "" : " (median of " + reps + ")";
    out.printf(Locale.ROOT, "%-30s %14s %14s %7s%n", "", "jobkit" + median, "raw SQL", "ratio");
    rate(
        out,
        "dispatch one by one",
        r.median(Benchmark.DISPATCH_SINGLE),
        r.median(Benchmark.RAW_SINGLE),
        "(raw: one row per commit)");
    table(out, r.median(Benchmark.DISPATCH_SINGLE), r.median(Benchmark.TABLE_SINGLE));
    out.printf(
        Locale.ROOT,
        "%-30s %12s/s %14s %7.2f  %s%n",
        "dispatch from " + threads + " threads",
        count(r.median(Benchmark.DISPATCH_CONCURRENT)),
        "",
        r.median(Benchmark.DISPATCH_CONCURRENT) / r.median(Benchmark.DISPATCH_SINGLE),
        "(ratio: to one thread)");
    rate(
        out,
        "dispatchAll, " + Benchmark.BATCH + " per call",
        r.median(Benchmark.DISPATCH_BATCH),
        r.median(Benchmark.RAW_BATCH),
        "(raw: " + Benchmark.BATCH + " rows per commit)");
    table(out, r.median(Benchmark.DISPATCH_BATCH), r.median(Benchmark.TABLE_BATCH));
    out.printf(
        Locale.ROOT,
        "%-30s %12s/s%n",
        "drain, " + workers + " workers",
        count(r.median(Benchmark.DRAIN)));
    out.printf(Locale.ROOT, "%-30s %11.2f ms%n", "dispatch-to-start p50", r.median(Benchmark.P50));
    out.printf(Locale.ROOT, "%-30s %11.2f ms%n", "dispatch-to-start p99", r.median(Benchmark.P99));
    if (listJobs > 0) {
      String of = " (" + count(listJobs) + " stored)";
      out.printf(
          Locale.ROOT,
          "%-30s %11.2f ms%s%n",
          "list by state p95",
          r.median(Benchmark.LIST_STATE),
          of);
      out.printf(
          Locale.ROOT,
          "%-30s %11.2f ms%s%n",
          "list by rare state p95",
          r.median(Benchmark.LIST_RARE_STATE),
          of);
      out.printf(
          Locale.ROOT,
          "%-30s %11.2f ms%s%n",
          "list by name p95",
          r.median(Benchmark.LIST_NAME),
          of);
    }
    out.printf(Locale.ROOT, "%-30s %14d%n", "jobs run more than once", r.ranTwice());
  }

  private static void rate(PrintWriter out, String what, double jobkit, double raw, String note) {
    out.printf(
        Locale.ROOT,
        "%-30s %12s/s %12s/s %7.2f  %s%n",
        what,
        count(jobkit),
        count(raw),
        jobkit / raw,
        note);
  }

  private static String count(double perSecond) {
    return String.format(Locale.ROOT, "%,d", Math.round(perSecond));
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static String version() {
    String v = new Jobkit.Version().getVersion()[0];
    return v.startsWith("jobkit ") ? v.substring("jobkit ".length()) : v;
  }

  /** A one-line bar on the terminal's stderr, redrawn at most ten times a second. */
  static final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private long lastDraw;
    private String phase = "";
    private int drawnLength;

    ProgressBar(PrintWriter err) {
      this.err = err;
    }

    void update(double fraction, String phase) {
      long now = System.nanoTime();
      boolean newPhase = phase != null && !phase.equals(this.phase);
      if (!newPhase && now - lastDraw < 100_000_000L) {
        return;
      }
      if (phase != null) {
        this.phase = phase;
      }
      lastDraw = now;
      int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * WIDTH);
      String line =
          String.format(
              Locale.ROOT,
              "[%s%s] %3.0f%%  %s",
              "#".repeat(filled),
              " ".repeat(WIDTH - filled),
              fraction * 100,
              this.phase);
      err.print("\r" + line + " ".repeat(Math.max(0, drawnLength - line.length())));
      err.flush();
      drawnLength = line.length();
    }

    void clear() {
      if (drawnLength > 0) {
        err.print("\r" + " ".repeat(drawnLength) + "\r");
        err.flush();
      }
    }
  }
}
