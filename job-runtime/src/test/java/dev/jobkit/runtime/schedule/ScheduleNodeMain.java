package dev.jobkit.runtime.schedule;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.ScheduleSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker process of {@link ScheduleNodesTest}: one JobManager with workers that declares the
 * per-second schedule {@link #SCHEDULE} in code, as every node of an application would. Arguments:
 * {@code sqlite <file>} or {@code postgres <url> <user|-> <password|->}. Prints "READY <pid>" once
 * open, runs until killed or until its stdin closes, then closes its manager and prints "CLOSED".
 */
public final class ScheduleNodeMain {
  static final String SCHEDULE = "tick";
  static final String TAG = "ticks";

  private static final PrintStream OUT = System.out;

  private ScheduleNodeMain() {}

  /** The schedule every node declares. */
  static ScheduleSpec spec() {
    return ScheduleSpec.every(SCHEDULE, Duration.ofSeconds(1))
        .job(new TickJob("tick"))
        .tags(java.util.List.of(TAG))
        .build();
  }

  public static void main(String[] args) throws IOException {
    JobManager.Builder b = JobManager.builder();
    if (args[0].equals("sqlite")) {
      b.database(Path.of(args[1]));
    } else {
      b.postgres(
              args[1], args[2].equals("-") ? null : args[2], args[3].equals("-") ? null : args[3])
          .postgresPoolSize(4)
          .leaseDuration(Duration.ofSeconds(3));
    }
    JobManager jobs =
        b.workers("default", 2)
            .pollInterval(Duration.ofMillis(100))
            .shutdownGrace(Duration.ofSeconds(3))
            .schedule(spec())
            .open();
    try {
      OUT.println("READY " + ProcessHandle.current().pid());
      OUT.flush();
      while (System.in.read() != -1) {
        // the parent closes stdin to ask for a graceful exit
      }
    } finally {
      jobs.close();
    }
    OUT.println("CLOSED");
    OUT.flush();
  }
}
