package dev.jobkit.cli;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.JobStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jobkit stats}: counts by state and job type, run times, success rate. */
@Command(
    name = "stats",
    description = "Show job counts by state and by type, run times and the success rate.")
final class StatsCommand extends JobkitCommand {
  @Option(names = "--json", description = "Print the statistics as a JSON object.")
  boolean json;

  @Override
  public Integer call() {
    jobkit.noTenant("stats", "counts every tenant's jobs"); // #14 tenants
    JobStats stats;
    try (JobManager jobs = jobkit.openClient(false)) {
      stats = jobs.stats();
    }
    long total = stats.byState().values().stream().mapToLong(Long::longValue).sum();
    PrintWriter out = out();
    if (json) {
      Json.write(
          out,
          false,
          g -> {
            g.writeStartObject();
            g.writeNumberField("total", total);
            g.writeObjectFieldStart("byState");
            for (JobState s : JobState.values()) {
              g.writeNumberField(s.name(), stats.count(s));
            }
            g.writeEndObject();
            g.writeObjectFieldStart("byName");
            for (Map.Entry<String, Map<JobState, Long>> e :
                new TreeMap<>(stats.byNameAndState()).entrySet()) {
              g.writeObjectFieldStart(e.getKey());
              for (JobState s : JobState.values()) {
                Long n = e.getValue().get(s);
                if (n != null) {
                  g.writeNumberField(s.name(), n);
                }
              }
              g.writeEndObject();
            }
            g.writeEndObject();
            g.writeNumberField("durationSample", stats.durationSample());
            g.writeFieldName("meanMillis");
            writeMillis(g, stats.meanDuration().orElse(null));
            g.writeFieldName("p95Millis");
            writeMillis(g, stats.p95Duration().orElse(null));
            g.writeFieldName("successRate");
            if (stats.successRate().isPresent()) {
              g.writeNumber(stats.successRate().getAsDouble());
            } else {
              g.writeNull();
            }
            g.writeEndObject();
          });
      return ExitCodes.OK;
    }
    Style style = style();
    if (total == 0) {
      out.println("no jobs");
      return ExitCodes.OK;
    }
    List<JobState> present = new ArrayList<>();
    for (JobState s : JobState.values()) {
      if (stats.count(s) > 0) {
        present.add(s);
      }
    }
    List<String> headers = new ArrayList<>(List.of("NAME"));
    present.forEach(s -> headers.add(s.name()));
    headers.add("TOTAL");
    Table t = new Table(headers.toArray(String[]::new));
    for (Map.Entry<String, Map<JobState, Long>> e :
        new TreeMap<>(stats.byNameAndState()).entrySet()) {
      List<Object> row = new ArrayList<>(List.of(e.getKey()));
      present.forEach(s -> row.add(e.getValue().getOrDefault(s, 0L)));
      row.add(e.getValue().values().stream().mapToLong(Long::longValue).sum());
      t.row(row.toArray());
    }
    List<Object> all = new ArrayList<>(List.of(new Table.Cell("all", style::bold)));
    present.forEach(
        s -> all.add(new Table.Cell(Long.toString(stats.count(s)), x -> style.state(s, x))));
    all.add(total);
    t.row(all.toArray());
    t.print(out, style);
    out.println();
    if (stats.durationSample() > 0) {
      out.println(
          "run time     mean "
              + Durations.format(stats.meanDuration().orElseThrow())
              + ", p95 "
              + Durations.format(stats.p95Duration().orElseThrow())
              + " (last "
              + stats.durationSample()
              + " completed jobs)");
    }
    if (stats.successRate().isPresent()) {
      out.println(
          "success rate "
              + String.format(Locale.ROOT, "%.1f%%", 100 * stats.successRate().getAsDouble())
              + " (completed / completed, failed or timed out)");
    }
    return ExitCodes.OK;
  }

  private static void writeMillis(com.fasterxml.jackson.core.JsonGenerator g, Duration d)
      throws java.io.IOException {
    if (d == null) {
      g.writeNull();
    } else {
      g.writeNumber(d.toMillis());
    }
  }
}
