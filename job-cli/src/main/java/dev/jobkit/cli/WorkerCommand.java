package dev.jobkit.cli;

import dev.jobkit.runtime.JobEventType;
import dev.jobkit.runtime.JobLifecycleEvent;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.RetentionPolicy;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jobkit worker}: a long-running process that runs jobs from the database until SIGTERM or
 * SIGINT, then stops gracefully: running jobs are asked to stop, checkpoint and are given back, and
 * the process exits 0.
 */
@Command(
    name = "worker",
    description = {
      "Run jobs from the database until stopped with SIGTERM or Ctrl-C.",
      "Prints one line when ready and one per job start and end. On SIGTERM/SIGINT running jobs "
          + "are checkpointed and given back, then the process exits 0."
    })
final class WorkerCommand extends JobkitCommand {
  private static final JobEventType[] SHOWN = {
    JobEventType.STARTED, JobEventType.COMPLETED, JobEventType.FAILED,
    JobEventType.RETRY_SCHEDULED, JobEventType.CANCELLED, JobEventType.PAUSED,
    JobEventType.TIMED_OUT, JobEventType.QUARANTINED
  };

  /** Set by {@link Jobkit#main} before it exits on its own, so that the hook does not halt. */
  private static volatile boolean exiting;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Worker threads per queue. Default: the number of processors, at least 2.")
  Integer workers;

  @Option(
      names = "--queue",
      paramLabel = "QUEUE",
      converter = QueueNames.class,
      description = "A queue to run; repeatable. Default: default.")
  List<String> queues = new ArrayList<>();

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "How often idle workers look for new jobs. Default: 500ms.")
  Duration pollInterval;

  @Option(
      names = "--lease",
      paramLabel = "DURATION",
      converter = Durations.class,
      description =
          "How long a claim lasts without renewal; the jobs of a dead worker are "
              + "recovered after it. Default: 30s on SQLite, 10s on PostgreSQL.")
  Duration lease;

  @Option(
      names = "--shutdown-grace",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "How long a stop waits for running jobs to checkpoint. Default: 10s.")
  Duration shutdownGrace;

  @Option(
      names = "--keep-completed",
      paramLabel = "DURATION",
      converter = KeepDurations.class,
      description =
          "How long completed jobs are kept before the worker deletes them (automatic retention),"
              + " or 'forever'. Default: 7d.")
  Duration keepCompleted;

  @Option(
      names = "--keep-failed",
      paramLabel = "DURATION",
      converter = KeepDurations.class,
      description =
          "How long failed, cancelled and timed-out jobs are kept, or 'forever'. Default: 30d.")
  Duration keepFailed;

  private final Map<String, Long> startedAt = new ConcurrentHashMap<>();

  /** Events that arrive before the "ready" line (jobs recovered at start), printed after it. */
  private final List<String> early = new ArrayList<>(); // guarded by itself

  private boolean ready; // guarded by early

  /** Tells a running worker that the process is exiting normally rather than on a signal. */
  static void exiting() {
    exiting = true;
  }

  @Override
  public Integer call() throws InterruptedException {
    jobkit.noTenant(
        "worker", "runs the jobs of every tenant (fairly, by their weights)"); // #14 tenants
    int n = workers != null ? workers : Math.max(2, Runtime.getRuntime().availableProcessors());
    if (n < 1) {
      throw new CliException(ExitCodes.USAGE, "--workers must be at least 1, got " + n);
    }
    List<String> qs = queues.isEmpty() ? List.of("default") : List.copyOf(queues);
    PrintWriter out = out();
    String where =
        jobkit.target() instanceof Databases.Postgres pg
            ? pg.toString()
            : jobkit.databaseForDisplay();
    JobManager jobs =
        jobkit.openWorker(
            b -> {
              qs.forEach(q -> b.workers(q, n));
              if (pollInterval != null) {
                b.pollInterval(pollInterval);
              }
              if (lease != null) {
                b.leaseDuration(lease);
              }
              if (shutdownGrace != null) {
                b.shutdownGrace(shutdownGrace);
              }
              if (keepCompleted != null || keepFailed != null) {
                b.retention(
                    RetentionPolicy.keep(
                        keepCompleted != null
                            ? keepCompleted
                            : RetentionPolicy.DEFAULT_KEEP_COMPLETED,
                        keepFailed != null ? keepFailed : RetentionPolicy.DEFAULT_KEEP_FAILED));
              }
              // Before open(): the events of jobs recovered at start are not missed.
              b.subscribe(e -> onEvent(out, e), SHOWN);
              return b;
            });
    String owner = jobs.health().ownerId();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              int code = ExitCodes.OK;
              try {
                out.println(
                    "worker " + owner + " stopping: checkpointing and giving back running jobs");
                out.flush();
                jobs.close();
                out.println("worker " + owner + " stopped");
                out.flush();
              } catch (RuntimeException e) {
                code = jobkit.report(e, err());
              } finally {
                // Read before releasing call(): once released, main() sets the flag on its way out,
                // and a
                // signal's stop would then end with the signal's 143 or 130.
                boolean bySignal = !exiting;
                stopped.countDown();
                if (bySignal) {
                  // Stopped by a signal: exit 0 after a graceful stop rather than the signal's 143
                  // or 130.
                  Runtime.getRuntime().halt(code);
                }
              }
            },
            "jobkit-worker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    synchronized (early) {
      out.println(
          "worker "
              + owner
              + " ready: queues "
              + String.join(", ", qs)
              + " ("
              + n
              + (n == 1 ? " worker" : " workers")
              + " each) on "
              + where);
      out.flush();
      ready = true;
      early.forEach(out::println);
      early.clear();
      out.flush();
    }
    stopped.await();
    return ExitCodes.OK;
  }

  private void onEvent(PrintWriter out, JobLifecycleEvent e) {
    String line = line(e);
    synchronized (early) {
      if (ready) {
        out.println(line);
        out.flush();
      } else {
        early.add(line);
      }
    }
  }

  private String line(JobLifecycleEvent e) {
    String detail = e.detail().orElse("");
    if (e.type() == JobEventType.STARTED) {
      startedAt.put(e.jobId(), System.nanoTime());
    } else {
      Long t0 = startedAt.remove(e.jobId());
      if (t0 != null) {
        String took = "after " + Durations.format(Duration.ofNanos(System.nanoTime() - t0));
        detail = detail.isEmpty() ? took : took + ": " + detail;
      }
    }
    int nl = detail.indexOf('\n');
    if (nl >= 0) {
      detail = detail.substring(0, nl);
    }
    return e.at().truncatedTo(ChronoUnit.SECONDS)
        + " "
        + String.format("%-15s", e.type().name().toLowerCase(Locale.ROOT))
        + " "
        + e.jobId()
        + " "
        + e.name()
        + (detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
