package dev.jobkit.cli;

import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every built-in command shares: the global options, output streams and id look-up. */
abstract class JobkitCommand implements Callable<Integer> {
  /** The shortest id prefix shown in tables; longer where needed to tell the listed jobs apart. */
  static final int SHORT_ID = 12;

  @ParentCommand Jobkit jobkit;
  @Spec CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  Style style() {
    return jobkit.style();
  }

  /**
   * The one job whose id is {@code idOrPrefix} or starts with it.
   *
   * @throws CliException NOT_FOUND when no job matches ({@code AmbiguousJobPrefixException} when
   *     several do)
   */
  JobInfo find(JobManager jobs, String idOrPrefix) {
    String s = idOrPrefix.strip();
    if (s.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "the job id must not be empty");
    }
    return jobs.findByPrefix(s)
        .orElseThrow(
            () ->
                new CliException(
                    ExitCodes.NOT_FOUND,
                    "no job with id or id prefix '" + s + "' in " + jobkit.databaseForDisplay()));
  }

  /** Each id shortened to its first {@value #SHORT_ID}+ characters, unique among {@code ids}. */
  static List<String> shortIds(List<String> ids) {
    int len = SHORT_ID;
    int longest = ids.stream().mapToInt(String::length).max().orElse(0);
    while (len < longest) {
      Set<String> seen = new HashSet<>();
      boolean unique = true;
      for (String id : ids) {
        unique &= seen.add(id.substring(0, Math.min(len, id.length())));
      }
      if (unique) {
        break;
      }
      len++;
    }
    List<String> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      out.add(id.substring(0, Math.min(len, id.length())));
    }
    return out;
  }

  /** An instant to the second, such as {@code 2026-11-23T10:00:05Z}. */
  static String time(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** {@code "5m ago"}. */
  static String ago(Instant at) {
    return Durations.age(Duration.between(at, Instant.now())) + " ago";
  }
}
