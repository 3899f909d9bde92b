package dev.jobkit.examples.demo;

import dev.jobkit.runtime.JobManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The demo's worker process: runs the jobs stored in a database until its standard input closes
 * (the demo closes it to stop the worker, and it also closes when the demo dies) or until it is
 * killed.
 *
 * <pre>{@code
 * java -cp jobkit.jar dev.jobkit.examples.demo.DemoWorker /tmp/jobkit-demo/jobkit.db
 * }</pre>
 *
 * <p>It keeps the default lease of 30 s: a new worker on the same machine sees that the killed
 * worker's process is gone and takes its jobs over at once, without waiting for the lease.
 */
public final class DemoWorker {
  private DemoWorker() {}

  /**
   * Runs two workers on the default queue of the database given as the only argument.
   *
   * @param args the path of the job database
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: DemoWorker <database>");
      System.exit(2);
    }
    try (JobManager jobs =
        JobManager.builder()
            .database(Path.of(args[0]))
            .workers("default", 2)
            .pollInterval(Duration.ofMillis(200))
            .progressInterval(Duration.ofMillis(100))
            .shutdownGrace(Duration.ofSeconds(5))
            .open()) {
      System.out.println(
          "Demo worker "
              + ProcessHandle.current().pid()
              + " running jobs of "
              + args[0]
              + ": "
              + jobs.health());
      waitForEndOfInput(System.in);
      System.out.println("Input closed: stopping gracefully");
    }
  }

  private static void waitForEndOfInput(InputStream in) throws IOException {
    byte[] buffer = new byte[256];
    while (in.read(buffer) >= 0) {
      // ignore anything written to us; only the end of input matters
    }
  }
}
