package dev.jobkit.examples.report;

import dev.jobkit.examples.Summarizable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The output of {@link ReportJob}.
 *
 * @param jobs one line per job, in the order asked for
 * @param total how many jobs were asked for
 * @param byState how many of them are in each state
 * @param totalRunTime the run times added up
 */
public record Report(
    List<JobSummary> jobs, int total, Map<String, Long> byState, Duration totalRunTime)
    implements Summarizable {

  @Override
  public String summary() {
    return total
        + " jobs: "
        + byState.entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey())
            .collect(Collectors.joining(", "));
  }
}
