package dev.jobkit.runtime.crash;

import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The main class of the child JVMs the crash tests start and kill. Reports progress as lines on
 * stdout; runs until killed or until its stdin closes (then it closes its manager and exits 0).
 *
 * <ul>
 *   <li>{@code items <db> <journal> <hold> <leaseMs>}: dispatches one {@link ItemsJob}, prints "ID
 *       <id>" and runs it on one worker.
 *   <li>{@code storm <db> <threads>}: dispatches {@link NoopJob}s from {@code threads} threads as
 *       fast as it can, printing "ID <seq> <id> END" as soon as each dispatch returned. No worker
 *       consumes their queue.
 *   <li>{@code worker <db> <leaseMs> <workers>}: runs the default queue; prints "READY".
 * </ul>
 */
public final class ChildMain {
  static final String UNUSED_QUEUE = "crash-unused";
  private static final PrintStream OUT = System.out;

  private ChildMain() {}

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[1]);
    switch (args[0]) {
      case "items" -> items(db, Path.of(args[2]), Path.of(args[3]), Long.parseLong(args[4]));
      case "storm" -> storm(db, Integer.parseInt(args[2]));
      case "worker" -> worker(db, Long.parseLong(args[2]), Integer.parseInt(args[3]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static JobManager.Builder builder(Path db, long leaseMs) {
    return JobManager.builder()
        .database(db)
        .pollInterval(Duration.ofMillis(50))
        .leaseDuration(Duration.ofMillis(leaseMs))
        .shutdownGrace(Duration.ofSeconds(5));
  }

  private static synchronized void say(String line) {
    OUT.println(line);
    OUT.flush();
  }

  private static void items(Path db, Path journal, Path hold, long leaseMs) throws IOException {
    try (JobManager jobs = builder(db, leaseMs).workers("default", 1).open()) {
      JobHandle<String> h = jobs.dispatch(new ItemsJob(20, journal, hold, 12, 40));
      say("ID " + h.id());
      awaitStdinClosed();
    }
  }

  private static void storm(Path db, int threads) throws Exception {
    try (JobManager jobs = builder(db, 30_000).workers(UNUSED_QUEUE, 1).open()) {
      say("READY");
      AtomicInteger seq = new AtomicInteger();
      for (int t = 0; t < threads; t++) {
        Thread th =
            new Thread(
                () -> {
                  while (true) {
                    int n = seq.getAndIncrement();
                    String id = jobs.dispatch(new NoopJob(n)).id();
                    say("ID " + n + " " + id + " END");
                  }
                },
                "storm-" + t);
        th.setDaemon(true);
        th.start();
      }
      awaitStdinClosed();
    }
  }

  private static void worker(Path db, long leaseMs, int workers) throws IOException {
    JobManager jobs = builder(db, leaseMs).workers("default", workers).open();
    try {
      say("READY");
      awaitStdinClosed();
    } finally {
      jobs.close();
    }
    say("CLOSED");
  }

  private static void awaitStdinClosed() throws IOException {
    while (System.in.read() != -1) {
      // the parent closes stdin to ask for a graceful exit
    }
  }
}
