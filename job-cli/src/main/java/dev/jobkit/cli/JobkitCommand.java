package dev.jobkit.cli;

import dev.jobkit.runtime.AmbiguousJobPrefixException;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobPage;
import dev.jobkit.runtime.JobQuery;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every built-in command shares: the global options, output streams and id look-up. */
abstract class JobkitCommand implements Callable<Integer> {
  /** The shortest id prefix shown in tables; longer where needed to tell the listed jobs apart. */
  static final int SHORT_ID = 12;

  /** The length of a job id (a ULID). */
  private static final int ID_LENGTH = 26;

  /** What a job id (or a prefix of it, upper-cased) is made of: Crockford's base 32. */
  private static final Pattern ID_CHARS = Pattern.compile("[0-9A-HJKMNP-TV-Z]+");

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

  /** The tenant the command acts in ({@code --tenant}); empty for every tenant. */
  Optional<String> tenant() {
    return jobkit.tenant();
  }

  /**
   * The one job whose id is {@code idOrPrefix} or starts with it; with {@code --tenant}, among that
   * tenant's jobs only, so another tenant's job is "no job", as an unknown id is.
   *
   * @throws CliException NOT_FOUND when no job matches ({@code AmbiguousJobPrefixException} when
   *     several do)
   */
  JobInfo find(JobManager jobs, String idOrPrefix) {
    String s = idOrPrefix.strip();
    if (s.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "the job id must not be empty");
    }
    Optional<String> tenant = tenant();
    Optional<JobInfo> found =
        tenant.isEmpty() ? jobs.findByPrefix(s) : findInTenant(jobs, s, tenant.get());
    return found.orElseThrow(
        () ->
            new CliException(
                ExitCodes.NOT_FOUND,
                "no job with id or id prefix '" + s + "' in " + jobkit.scopeForDisplay()));
  }

  /**
   * The one job of {@code tenant} whose id starts with {@code prefix}. A tenant's jobs are a keyset
   * page of {@link JobManager#list} in id order (newest first: ids below the cursor), so the jobs
   * with the prefix are the first ones below the prefix padded with the highest id character; two
   * are read to tell one from several. Other tenants' jobs are never matched, nor named in an
   * ambiguity.
   */
  static Optional<JobInfo> findInTenant(JobManager jobs, String prefix, String tenant) {
    String p = prefix.toUpperCase(Locale.ROOT);
    if (p.length() >= ID_LENGTH) {
      return jobs.job(p).filter(j -> j.tenant().equals(tenant));
    }
    if (!ID_CHARS.matcher(p).matches()) {
      return Optional.empty();
    }
    JobPage page =
        jobs.list(
            JobQuery.builder()
                .tenant(tenant)
                .cursor(p + "Z".repeat(ID_LENGTH - p.length()))
                .limit(3)
                .build());
    List<JobInfo> matching =
        page.jobs().stream().filter(j -> j.id().startsWith(p)).limit(3).toList();
    if (matching.size() > 1) {
      throw new AmbiguousJobPrefixException(prefix, matching.stream().map(JobInfo::id).toList());
    }
    if (matching.isEmpty()) {
      // The one id the padded cursor itself excludes.
      return jobs.job(p + "Z".repeat(ID_LENGTH - p.length()))
          .filter(j -> j.tenant().equals(tenant));
    }
    return Optional.of(matching.get(0));
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
