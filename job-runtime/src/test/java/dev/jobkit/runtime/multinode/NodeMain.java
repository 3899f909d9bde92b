package dev.jobkit.runtime.multinode;

import dev.jobkit.runtime.JobManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The main class of a worker node of {@link PostgresMultiNodeTest}: one JobManager with workers on
 * a PostgreSQL database. Arguments: {@code <jdbcUrl> <user|-> <password|-> <leaseMs> <pollMs>
 * <dataDir>}; the node's name comes in {@code -Dmultinode.node}. Prints "READY <pid>" once open,
 * runs until killed or until its stdin closes, then closes its manager, prints "CLOSED" and exits.
 */
public final class NodeMain {
  /** Workers of the short jobs' queue on each node. */
  static final int SHORT_WORKERS = 3;

  /** Workers of {@link StepsJob#QUEUE} on each node. */
  static final int STEPS_WORKERS = 2;

  private static final PrintStream OUT = System.out;

  private NodeMain() {}

  public static void main(String[] args) throws IOException {
    String url = args[0];
    String user = args[1].equals("-") ? null : args[1];
    String password = args[2].equals("-") ? null : args[2];
    long leaseMs = Long.parseLong(args[3]);
    long pollMs = Long.parseLong(args[4]);
    Path dataDir = Path.of(args[5]);
    JobManager jobs =
        JobManager.builder()
            .postgres(url, user, password)
            .postgresPoolSize(6)
            .dataDirectory(dataDir)
            .workers("default", SHORT_WORKERS)
            .workers(StepsJob.QUEUE, STEPS_WORKERS)
            .leaseDuration(Duration.ofMillis(leaseMs))
            .pollInterval(Duration.ofMillis(pollMs))
            .autoCheckpointInterval(Duration.ZERO) // StepsJob checkpoints itself after each step
            .shutdownGrace(Duration.ofSeconds(5))
            .open();
    try {
      say("READY " + ProcessHandle.current().pid());
      while (System.in.read() != -1) {
        // the parent closes stdin to ask for a graceful exit
      }
    } finally {
      jobs.close();
    }
    say("CLOSED");
  }

  private static synchronized void say(String line) {
    OUT.println(line);
    OUT.flush();
  }
}
