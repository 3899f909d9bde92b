package dev.jobkit.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The meters as Prometheus exports them: the names docs/grafana/jobkit.json queries, and the
 * duration and wait timers with histogram buckets.
 */
class PrometheusNamesTest {
  @TempDir Path dir;

  @Test
  void aScrapeHasEveryNameTheDashboardUses() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (JobManager m =
        JobManager.builder()
            .database(dir.resolve("jobs.db"))
            .dataDirectory(dir.resolve("data"))
            .workers("default", 1)
            .pollInterval(Duration.ofMillis(50))
            .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
            .intercept(new JobkitMetrics(registry).queueDepthRefresh(Duration.ZERO))
            .open()) {
      String id = m.dispatch(new StepJob(1, false, false)).id();
      Awaitility.await()
          .atMost(15, TimeUnit.SECONDS)
          .until(() -> m.job(id).orElseThrow().state() == JobState.COMPLETED);
      Awaitility.await()
          .atMost(5, TimeUnit.SECONDS)
          .until(() -> registry.scrape().contains("outcome=\"completed\""));
      String scrape = registry.scrape();
      for (String name :
          List.of(
              "jobkit_jobs_dispatched_total{job=\"metrics.step\",queue=\"default\"} 1.0",
              "jobkit_jobs_finished_total{job=\"metrics.step\",outcome=\"completed\",queue=\"default\"} 1.0",
              "jobkit_job_retries_total{job=\"metrics.step\",queue=\"default\"} 1.0",
              "jobkit_job_duration_seconds_bucket{job=\"metrics.step\",outcome=\"completed\"",
              "jobkit_job_duration_seconds_count{job=\"metrics.step\",outcome=\"retry_scheduled\"",
              "jobkit_job_wait_seconds_bucket{job=\"metrics.step\"",
              "jobkit_jobs_running{queue=\"default\"} 0",
              "jobkit_queue_depth{queue=\"default\"} 0")) {
        assertTrue(scrape.contains(name), name + " in:\n" + scrape);
      }
    }
  }

  @Test
  void everySeriesTheGrafanaDashboardQueriesIsExported() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (JobManager m =
        JobManager.builder()
            .database(dir.resolve("jobs.db"))
            .dataDirectory(dir.resolve("data"))
            .workers("default", 1)
            .pollInterval(Duration.ofMillis(50))
            .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
            .intercept(new JobkitMetrics(registry))
            .open()) {
      String id = m.dispatch(new StepJob(1, false, false)).id();
      Awaitility.await()
          .atMost(15, TimeUnit.SECONDS)
          .until(() -> m.job(id).orElseThrow().state() == JobState.COMPLETED);
    }
    // A lost lease cannot be provoked on one node; the meter is the interceptor's all the same.
    new JobkitMetrics(registry)
        .around(JobkitMetricsTest.attempt(), () -> dev.jobkit.runtime.AttemptOutcome.LEASE_LOST);
    String scrape = registry.scrape();
    String dashboard = Files.readString(Path.of("..", "docs", "grafana", "jobkit.json"));
    Matcher names = Pattern.compile("jobkit_[a-z_]+").matcher(dashboard);
    Set<String> queried = new TreeSet<>();
    while (names.find()) {
      queried.add(names.group());
    }
    assertEquals(8, queried.size(), "series the dashboard queries: " + queried);
    for (String name : queried) {
      assertTrue(scrape.contains("\n" + name + "{"), name + " is not exported:\n" + scrape);
    }
  }
}
