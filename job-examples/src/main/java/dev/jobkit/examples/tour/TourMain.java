package dev.jobkit.examples.tour;

import dev.jobkit.LogLevel;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobLogLine;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.LogQuery;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The program of docs/getting-started.md: dispatches {@code word_count} by name with the JSON given
 * as its argument into {@code jobkit.db} in the working directory (the CLI's default database),
 * prints the job's progress, its log and its result.
 *
 * <pre>{@code
 * java -cp job-examples/target/jobkit.jar dev.jobkit.examples.tour.TourMain \
 *     '{"files": ["README.md", "docs/runtime.md"], "throttleMillis": 500}'
 * }</pre>
 *
 * <p>The JSON text is also the dispatch's idempotency key, so running the program again with the
 * same argument finds the same job: after a kill it resumes that job, after completion it prints
 * the stored result. The regions between the tour markers are shown in the guide; TourDocTest fails
 * if they differ.
 */
public final class TourMain {
  private TourMain() {}

  /** Runs the tour with {@code args[0]} as the job's JSON parameters. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: TourMain '{\"files\": [\"README.md\"]}'");
      System.exit(2);
    }
    quietLogs();
    run(Path.of("jobkit.db"), args[0], System.out);
  }

  /** Keeps the runtime's INFO logs off the console, as the demo does. */
  private static void quietLogs() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
  }

  /** Dispatches (or finds) the job for {@code json} in {@code db}, waits for it and prints it. */
  static Object run(Path db, String json, PrintStream out) throws Exception {
    // tour:start run
    try (JobManager jobs = JobManager.open(db)) {
      DispatchOptions options =
          DispatchOptions.builder()
              .idempotencyKey(json) // the same JSON again finds the same job
              .build();
      JobHandle<?> h = jobs.dispatchByName("word_count", json, options);
      out.println("job " + h.id());
      h.onProgress(p -> out.println("  " + p));
      Object result = h.result().get();
      for (JobLogLine line : jobs.logs(h.id(), LogQuery.all().minLevel(LogLevel.INFO).limit(100))) {
        out.println("  log: " + line.message());
      }
      out.println("result: " + result);
      return result;
    }
    // tour:end run
  }

  /** Dispatches a job object rather than JSON: the handle and result are typed. */
  static WordCount typed(JobManager jobs, List<Path> files) throws Exception {
    // tour:start typed
    WordCountJob job = new WordCountJob();
    job.files = files;
    JobHandle<WordCount> h = jobs.dispatch(job);
    WordCount count = h.result().get();
    // tour:end typed
    return count;
  }
}
