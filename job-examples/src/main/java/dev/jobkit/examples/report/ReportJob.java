package dev.jobkit.examples.report;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.JobRegistry;
import dev.jobkit.NonRetryableException;
import dev.jobkit.runtime.JobManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Summarizes earlier jobs: their state, attempts, run time and a one-line result each, with totals.
 *
 * <p>Parameters, as JSON:
 *
 * <pre>{@code
 * {"database": "/var/jobs/jobkit.db", "jobIds": ["01J...", "01J..."]}
 * }</pre>
 *
 * <p>A job sees only its {@link JobContext}, not the {@link JobManager} that runs it. So the report
 * is told where the jobs are stored: it opens its own read-only view of that database, a client
 * manager without workers ({@code JobManager.builder().database(path).noWorkers().open()}), reads
 * each job with {@code job(id)} and closes it again. It reports the jobs as they are at that
 * moment; a job still running shows its latest progress.
 *
 * <p>Reading is cheap and has no side effects, so the job is not resumable: an interrupted report
 * is simply made again.
 */
@Job(name = "report", description = "Summarizes the outcome of earlier jobs", resumable = false)
public class ReportJob implements JobHandler<Report> {

  /** The job database holding the jobs to report on. */
  public Path database;

  /** The ids of the jobs to report on, in the order to show them. */
  public List<String> jobIds;

  @Override
  public Report run(JobContext ctx) {
    if (database == null || !Files.isRegularFile(database)) {
      throw new NonRetryableException(
          "report: 'database' must be an existing job database, got " + database);
    }
    if (jobIds == null || jobIds.isEmpty()) {
      throw new NonRetryableException("report: 'jobIds' must list at least one job id");
    }
    ctx.log("Reporting on " + jobIds.size() + " jobs in " + database);

    JobRegistry registry = JobRegistry.load();
    List<JobSummary> jobs = new ArrayList<>();
    try (JobManager manager = JobManager.builder().database(database).noWorkers().open()) {
      for (String id : jobIds) {
        ctx.checkInterrupt();
        JobSummary summary =
            manager
                .job(id)
                .map(info -> JobSummary.of(info, registry))
                .orElseGet(() -> JobSummary.notFound(id));
        ctx.log(
            summary.name()
                + " "
                + summary.id()
                + ": "
                + summary.state()
                + ", "
                + summary.summary());
        jobs.add(summary);
      }
    }

    TreeMap<String, Long> byState = new TreeMap<>();
    Duration totalRunTime = Duration.ZERO;
    for (JobSummary job : jobs) {
      byState.merge(job.state(), 1L, Long::sum);
      totalRunTime = totalRunTime.plus(job.runTime());
    }
    Report report = new Report(List.copyOf(jobs), jobs.size(), byState, totalRunTime);
    ctx.log(report.summary());
    return report;
  }
}
