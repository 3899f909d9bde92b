package dev.jobkit.cli;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/**
 * A second job type of {@code jobkit bench}, only dispatched, never run: the listing measurement
 * ({@code --list-jobs}) stores a tenth of its jobs under this name to time listing by name.
 */
@Job(
    name = "jobkit.bench.other",
    queue = BenchNoopJob.QUEUE,
    description = "Listed, never run, by 'jobkit bench --list-jobs'")
class BenchOtherJob implements JobHandler<Void> {
  BenchOtherJob() {}

  @Override
  public Void run(JobContext ctx) {
    throw new IllegalStateException("jobkit.bench.other is only listed by 'jobkit bench'");
  }
}
