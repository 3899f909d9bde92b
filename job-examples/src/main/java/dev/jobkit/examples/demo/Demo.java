package dev.jobkit.examples.demo;

import dev.jobkit.JobRegistry;
import dev.jobkit.LogLevel;
import dev.jobkit.examples.Sizes;
import dev.jobkit.examples.crawl.StaticSiteServer;
import dev.jobkit.examples.report.JobSummary;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobLogLine;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.LogQuery;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jobkit demo}: shows, in under a minute, that jobs survive a crash of the process running
 * them.
 *
 * <ol>
 *   <li>Creates a workspace with sample files and serves the example web site on 127.0.0.1.
 *   <li>Dispatches the example jobs by name with JSON parameters into {@code
 *       <workspace>/jobkit.db}, from this process, which runs no workers itself.
 *   <li>Starts a worker process ({@link DemoWorker}) and shows the jobs' progress live.
 *   <li>Kills the worker with SIGKILL while the slow {@code file_copy} job is part way through.
 *   <li>Starts a new worker, which sees that the killed worker's process is gone and takes over its
 *       jobs at once; {@code file_copy} resumes from its last checkpoint instead of starting again.
 *   <li>Runs a {@code report} job on the others and prints a summary table.
 * </ol>
 *
 * <p>Exits 0 when every job completed, 1 otherwise (2 for bad arguments).
 */
public final class Demo {
  /** Files in the sample tree that {@code file_copy} copies slowly. */
  static final int SAMPLE_FILES = 120;

  /** The demo kills the worker once {@code file_copy} has done this many files. */
  static final int KILL_AFTER_FILES = 40;

  private static final long COPY_THROTTLE_MS = 50;
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern RESUMED =
      Pattern.compile("Resumed from checkpoint at item (\\d+) of (\\d+)");

  @Command(
      name = "jobkit demo",
      description = "Runs example jobs, kills their worker and resumes them.")
  static final class Options {
    @Option(names = "--keep", description = "Keep the workspace afterwards.")
    boolean keep;

    @Option(
        names = "--workspace",
        paramLabel = "DIR",
        description =
            "Work in DIR (created if missing, kept afterwards) instead of a temporary one.")
    Path workspace;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help.")
    boolean help;
  }

  private final PrintWriter out;
  private final JobRegistry registry = JobRegistry.load();
  private final ProgressView view;
  private final List<String> jobIds = new ArrayList<>();
  private Process worker;
  private int workerCount;

  private Demo(PrintWriter out, boolean terminal) {
    this.out = out;
    this.view = new ProgressView(out, terminal, registry);
  }

  /** Runs the demo on the console; the exit code is the one {@link #run} returns. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(List.of(args), out, err, false));
  }

  /**
   * Runs the demo.
   *
   * @param args {@code [--keep] [--workspace DIR]}
   * @param out where the narration goes
   * @param err where errors go
   * @param verbose whether to print stack traces of errors
   * @return 0 when every job completed, 1 otherwise, 2 for bad arguments
   */
  public static int run(List<String> args, PrintWriter out, PrintWriter err, boolean verbose) {
    Options options = new Options();
    CommandLine cli = new CommandLine(options);
    try {
      cli.parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      err.println("jobkit: error: demo: " + e.getMessage());
      cli.usage(err);
      return 2;
    }
    if (cli.isUsageHelpRequested()) {
      cli.usage(out);
      return 0;
    }
    quietLibraries();
    boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    Demo demo = new Demo(out, terminal);
    try {
      return demo.run(options);
    } catch (Exception e) {
      err.println("jobkit: error: demo failed: " + e.getMessage());
      if (verbose) {
        e.printStackTrace(err);
      }
      return 1;
    } finally {
      demo.stopWorker(true);
      out.flush();
      err.flush();
    }
  }

  private int run(Options options) throws Exception {
    boolean keep = options.keep || options.workspace != null;
    Path workspace =
        options.workspace != null
            ? Files.createDirectories(options.workspace.toAbsolutePath())
            : Files.createTempDirectory("jobkit-demo-");
    out.println("jobkit demo: jobs that survive a crash of the process running them");
    try (StaticSiteServer site = StaticSiteServer.start()) {
      step(1, "Creating a workspace in " + workspace);
      Path sources = workspace.resolve("sources");
      long bytes = SampleFiles.create(sources, SAMPLE_FILES);
      say(
          SAMPLE_FILES
              + " sample files ("
              + Sizes.bytes(bytes)
              + ") in sources/, and the example"
              + " site served at "
              + site.uri());

      Path database = workspace.resolve("jobkit.db");
      try (JobManager jobs = JobManager.builder().database(database).noWorkers().open()) {
        String copyId = dispatch(jobs, workspace, sources, site);
        watchUntilKillTime(jobs, copyId, database, workspace);
        killWorker(jobs, copyId);
        restartAndWatchResume(jobs, copyId, database, workspace);
        return report(jobs, database);
      } finally {
        stopWorker(false);
      }
    } finally {
      out.println();
      if (keep) {
        out.println(
            "Workspace kept in "
                + workspace
                + " (job database: jobkit.db, worker logs:"
                + " worker-*.log)");
      } else {
        deleteTree(workspace);
        out.println("Workspace removed (use --keep to keep it).");
      }
    }
  }

  // ---------------------------------------------------------------- the steps

  /** Step 2: dispatches the example jobs by name; returns the id of the file copy. */
  private String dispatch(JobManager jobs, Path workspace, Path sources, StaticSiteServer site) {
    step(2, "Dispatching jobs by name with JSON parameters into jobkit.db (no worker runs yet)");
    String copyId =
        dispatch(
            jobs,
            "file_copy",
            "{\"sources\": ["
                + json(sources)
                + "], \"destination\": "
                + json(workspace.resolve("backup"))
                + ", \"throttleMillis\": "
                + COPY_THROTTLE_MS
                + "}",
            "copy sources/ to backup/, " + COPY_THROTTLE_MS + " ms per file to make it slow");
    dispatch(
        jobs,
        "indexer",
        "{\"root\": "
            + json(sources)
            + ", \"mode\": \"deep\", \"indexFile\": "
            + json(workspace.resolve("index.tsv"))
            + "}",
        "index sources/: sizes, SHA-256, lines and words");
    dispatch(
        jobs,
        "site_crawl",
        "{\"startUrl\": " + json(site.uri()) + ", \"delayMillis\": 150}",
        "crawl the example site, 150 ms between pages");
    dispatch(
        jobs,
        "shell",
        "{\"command\": "
            + shellCommand()
            + ", \"workingDir\": "
            + json(workspace)
            + ", \"env\": {\"DEMO\": \"jobkit\"}}",
        "run a shell command and log its output");
    return copyId;
  }

  private String dispatch(JobManager jobs, String name, String json, String what) {
    String id = jobs.dispatchByName(name, json).id();
    jobIds.add(id);
    say(String.format(Locale.ROOT, "%-10s  %s  %s", name, id, what));
    return id;
  }

  /** Step 3: starts a worker and shows progress until the copy is far enough to be killed. */
  private void watchUntilKillTime(JobManager jobs, String copyId, Path database, Path workspace)
      throws IOException, InterruptedException {
    startWorker(database, workspace, 3);
    watch(
        jobs,
        () -> done(jobs, copyId) >= KILL_AFTER_FILES,
        "file_copy to reach item " + KILL_AFTER_FILES);
  }

  /** Step 4: kills the worker with SIGKILL and says where the copy was. */
  private void killWorker(JobManager jobs, String copyId) throws InterruptedException {
    long pid = worker.pid();
    long at = done(jobs, copyId);
    worker.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
    worker.waitFor();
    worker = null;
    view.stop();
    step(4, "Killing the worker process with SIGKILL");
    say(
        "Killed the worker (pid "
            + pid
            + ") when file_copy had reported "
            + at
            + " of "
            + SAMPLE_FILES
            + " files copied (its progress reaches the database a moment after its"
            + " checkpoints, so it may have saved a little more).");
    for (JobInfo job : infos(jobs)) {
      if (job.state() == JobState.RUNNING) {
        say(job.name() + " is still RUNNING in the database: nobody told it the worker died.");
      }
    }
    say(
        "A new worker on this machine will see that the process holding their 30 s leases is gone"
            + " and queue them again at once (a worker on another machine waits for the lease).");
  }

  /** Step 5: starts a new worker, reports where the interrupted jobs resumed, waits for the end. */
  private void restartAndWatchResume(JobManager jobs, String copyId, Path database, Path workspace)
      throws IOException, InterruptedException {
    startWorker(database, workspace, 5);
    watch(jobs, () -> resumeLine(jobs, copyId).isPresent(), "file_copy to resume");
    view.stop();
    Matcher m = RESUMED.matcher(resumeLine(jobs, copyId).orElseThrow());
    if (m.find()) {
      int item = Integer.parseInt(m.group(1));
      say(
          "file_copy resumed from its checkpoint at item "
              + item
              + " of "
              + m.group(2)
              + ": the "
              + (item - 1)
              + " files copied before the kill are not copied again.");
    }
    watch(
        jobs, () -> infos(jobs).stream().allMatch(j -> j.state().isTerminal()), "all jobs to end");
    view.stop();
  }

  /** Step 6: runs a report job on the others and prints the summary table. */
  private int report(JobManager jobs, Path database) throws InterruptedException {
    step(6, "All jobs ended. A report job reads their outcomes:");
    String reportId =
        jobs.dispatchByName(
                "report",
                "{\"database\": "
                    + json(database)
                    + ", \"jobIds\": ["
                    + String.join(", ", jobIds.stream().map(Demo::json).toList())
                    + "]}")
            .id();
    jobIds.add(reportId);
    waitFor(() -> jobs.job(reportId).orElseThrow().state().isTerminal(), "the report job");
    stopWorker(false);

    List<JobInfo> all = infos(jobs);
    out.println();
    String format = "  %-26s  %-10s  %-9s  %8s  %8s  %s%n";
    out.printf(Locale.ROOT, format, "ID", "NAME", "STATE", "ATTEMPTS", "TIME", "RESULT");
    for (JobInfo job : all) {
      JobSummary s = JobSummary.of(job, registry);
      out.printf(
          Locale.ROOT,
          format,
          s.id(),
          s.name(),
          s.state(),
          s.attempts(),
          Sizes.duration(s.runTime()),
          s.summary());
    }
    out.println();
    long completed = all.stream().filter(j -> j.state() == JobState.COMPLETED).count();
    if (completed == all.size()) {
      out.println("All " + all.size() + " jobs COMPLETED, although their worker was killed.");
      return 0;
    }
    out.println((all.size() - completed) + " of " + all.size() + " jobs did not complete.");
    return 1;
  }

  // ---------------------------------------------------------------- worker processes

  private void startWorker(Path database, Path workspace, int step) throws IOException {
    workerCount++;
    Path log = workspace.resolve("worker-" + workerCount + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    worker =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                DemoWorker.class.getName(),
                database.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    step(
        step,
        (workerCount == 1 ? "Starting a worker process" : "Starting a new worker process")
            + " (pid "
            + worker.pid()
            + ", log in "
            + log.getFileName()
            + "); live progress:");
  }

  /**
   * Stops the current worker: gracefully by closing its input (it then gives its running jobs
   * back), or at once.
   */
  private void stopWorker(boolean now) {
    Process p = worker;
    worker = null;
    if (p == null || !p.isAlive()) {
      return;
    }
    try {
      if (!now) {
        p.getOutputStream().close();
        if (p.waitFor(10, TimeUnit.SECONDS)) {
          return;
        }
      }
    } catch (IOException e) {
      // cannot ask it nicely: kill it below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    p.destroyForcibly();
  }

  // ---------------------------------------------------------------- watching

  /** Shows live progress every {@link #POLL} until {@code until} holds. */
  private void watch(JobManager jobs, Condition until, String what) throws InterruptedException {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (true) {
      view.show(infos(jobs));
      if (until.holds()) {
        return;
      }
      checkWorker();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up waiting for " + what + " after " + STEP_TIMEOUT);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private void waitFor(Condition until, String what) throws InterruptedException {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (!until.holds()) {
      checkWorker();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up waiting for " + what + " after " + STEP_TIMEOUT);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private void checkWorker() {
    if (worker != null && !worker.isAlive()) {
      throw new IllegalStateException(
          "the worker process exited with code "
              + worker.exitValue()
              + "; see worker-"
              + workerCount
              + ".log in the workspace (run with --keep)");
    }
  }

  /** A condition to wait for. */
  @FunctionalInterface
  private interface Condition {
    boolean holds();
  }

  private List<JobInfo> infos(JobManager jobs) {
    return jobIds.stream().map(id -> jobs.job(id).orElseThrow()).toList();
  }

  /** Files the copy has done, from its stored progress. */
  private static long done(JobManager jobs, String copyId) {
    String progress = jobs.job(copyId).flatMap(JobInfo::progressJson).orElse("");
    Matcher m = Pattern.compile("\"done\":(\\d+)").matcher(progress);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  /** The log line in which the copy says where it resumed, once it has. */
  private static Optional<String> resumeLine(JobManager jobs, String copyId) {
    return jobs.logs(copyId, LogQuery.all().minLevel(LogLevel.INFO)).stream()
        .map(JobLogLine::message)
        .filter(line -> RESUMED.matcher(line).find())
        .findFirst();
  }

  // ---------------------------------------------------------------- helpers

  private void step(int n, String text) {
    out.println();
    out.println("[" + n + "/6] " + text);
    out.flush();
  }

  private void say(String text) {
    out.println("      " + text);
    out.flush();
  }

  private static String shellCommand() {
    if (System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows")) {
      return "[\"cmd\", \"/c\", \"echo Hello from %DEMO% & dir /b sources\"]";
    }
    return "[\"sh\", \"-c\", "
        + json(
            "echo \"Hello from $DEMO on $(uname -s)\"; "
                + "echo \"$(ls sources | wc -l) directories of sample files\"")
        + "]";
  }

  /** {@code value} as a JSON string literal. */
  static String json(Object value) {
    StringBuilder s = new StringBuilder("\"");
    for (char c : String.valueOf(value).toCharArray()) {
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        default -> s.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return s.append('"').toString();
  }

  /** Keeps the runtime's INFO lines out of the narration. */
  private static void quietLibraries() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> tree = Files.walk(dir)) {
      for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
