package dev.jobkit.cli;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/** The job of {@code jobkit bench --schedules}: fired by schedules, does nothing. */
@Job(
    name = "jobkit.bench.tick",
    queue = BenchNoopJob.QUEUE,
    description = "Fired by the schedules of 'jobkit bench --schedules'; does nothing")
class BenchTickJob implements JobHandler<Void> {
  BenchTickJob() {}

  @Override
  public Void run(JobContext ctx) {
    return null;
  }
}
