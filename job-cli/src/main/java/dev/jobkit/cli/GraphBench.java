package dev.jobkit.cli;

import dev.jobkit.runtime.JobGraph;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code jobkit bench --graph N}: what do dependencies cost? On a fresh database each, with {@code
 * workers} workers: (a) the plain drain of {@code N} no-op jobs dispatched in one transaction, from
 * dispatch to the last one's completion; (b) a fan-out/fan-in graph of the same {@code N} jobs
 * dispatched in one transaction ({@link JobGraph}): one root, {@code N - 2} children of the root,
 * and one sink that waits for all of them, from dispatch to the sink's completion. The overhead is
 * (b) over (a).
 */
final class GraphBench {
  /**
   * What was measured.
   *
   * @param jobs jobs in each phase
   * @param plainSeconds dispatch to the last completion, no dependencies
   * @param graphSeconds dispatch to the sink's completion
   */
  record Result(
      int jobs,
      double plainSeconds,
      double graphSeconds,
      double plainDispatchSeconds,
      double graphDispatchSeconds) {
    double ratio() {
      return graphSeconds / plainSeconds;
    }
  }

  private final BenchScratch scratch;
  private final int jobs;
  private final int workers;

  GraphBench(BenchScratch scratch, int jobs, int workers) {
    this.scratch = scratch;
    this.jobs = jobs;
    this.workers = workers;
  }

  Result run() throws Exception {
    // A warm-up of both shapes, not counted.
    plain(Math.min(jobs, 2_000));
    graph(Math.min(jobs, 2_000));
    double[] p = plain(jobs);
    double[] g = graph(jobs);
    return new Result(jobs, p[0], g[0], p[1], g[1]);
  }

  /** Seconds from dispatch to the end, and of the dispatch alone. */
  private double[] plain(int n) throws Exception {
    try (JobManager m = scratch.freshDatabase().get().workers(BenchNoopJob.QUEUE, workers).open()) {
      List<BenchTickJob> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(new BenchTickJob());
      }
      long t0 = System.nanoTime();
      List<JobHandle<?>> handles = m.dispatchAll(batch);
      long t1 = System.nanoTime();
      for (JobHandle<?> h : handles) {
        h.result().get(10, TimeUnit.MINUTES);
      }
      return new double[] {(System.nanoTime() - t0) / 1e9, (t1 - t0) / 1e9};
    }
  }

  private double[] graph(int n) throws Exception {
    try (JobManager m = scratch.freshDatabase().get().workers(BenchNoopJob.QUEUE, workers).open()) {
      JobGraph g = m.graph();
      JobGraph.Node root = g.add(new BenchTickJob());
      JobGraph.Node[] middle = new JobGraph.Node[n - 2];
      for (int i = 0; i < middle.length; i++) {
        middle[i] = g.add(new BenchTickJob(), root);
      }
      g.add(new BenchTickJob(), middle);
      long t0 = System.nanoTime();
      List<JobHandle<?>> handles = g.dispatch();
      long t1 = System.nanoTime();
      handles.get(handles.size() - 1).result().get(10, TimeUnit.MINUTES);
      return new double[] {(System.nanoTime() - t0) / 1e9, (t1 - t0) / 1e9};
    }
  }
}
