package dev.jobkit.cli;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.MaintenanceInfo;
import dev.jobkit.runtime.RetentionPolicy;
import dev.jobkit.runtime.StorageInfo;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jobkit storage}: the database's size, and automatic retention and compaction as the
 * workers recorded them in the database. On PostgreSQL the size is that of jobkit's tables with
 * their indexes; free space and the WAL are the server's (shared by all its databases). {@code
 * --compact} gives a SQLite file's free pages back to the file system now.
 */
@Command(
    name = "storage",
    description = {
      "Show where the job database is, how big it is, and what automatic retention did.",
      "On PostgreSQL: the schema, and the size of jobkit's tables with their indexes."
    })
final class StorageCommand extends JobkitCommand {
  @Option(names = "--json", description = "Print the sizes as a JSON object.")
  boolean json;

  @Option(
      names = "--compact",
      description =
          "Give the SQLite file's free space back to the file system now. The first time on a file"
              + " made before jobkit 0.3 this rewrites the whole file (one VACUUM). Nothing to do"
              + " on PostgreSQL.")
  boolean compact;

  @Override
  public Integer call() {
    jobkit.noTenant("storage", "shows the whole database"); // #14 tenants
    Databases.Target target = jobkit.target();
    StorageInfo s;
    MaintenanceInfo m;
    long compacted = -1;
    String schema = target instanceof Databases.Postgres pg ? pg.schema : null;
    PrintWriter out = out();
    try (JobManager jobs = jobkit.openClient(false)) {
      if (compact && schema == null) {
        long before = jobs.storageInfo().sizeBytes();
        compacted = jobs.compact();
        if (!json) {
          out.println(
              "compacted: gave back "
                  + bytes(compacted)
                  + " ("
                  + bytes(before)
                  + " before, "
                  + bytes(before - compacted)
                  + " now)");
        }
      } else if (compact && !json) {
        out.println("compact: nothing to do, PostgreSQL's autovacuum reclaims space by itself");
      }
      s = jobs.storageInfo();
      m = jobs.maintenance();
    }
    long compactedBytes = Math.max(0, compacted);
    if (json) {
      Json.write(
          out,
          false,
          g -> {
            g.writeStartObject();
            g.writeStringField("backend", schema != null ? "postgresql" : "sqlite");
            g.writeStringField("location", s.location());
            g.writeStringField("schema", schema);
            g.writeNumberField("sizeBytes", s.sizeBytes());
            g.writeNumberField("walBytes", s.walBytes());
            g.writeNumberField("pageSize", s.pageSize());
            g.writeNumberField("pageCount", s.pageCount());
            g.writeNumberField("freePages", s.freePages());
            g.writeNumberField("reclaimableBytes", s.freePages() * s.pageSize());
            g.writeStringField("vacuum", m.vacuum());
            if (compact) {
              g.writeNumberField("compactedBytes", compactedBytes);
            }
            g.writeObjectFieldStart("retention");
            g.writeStringField("policy", m.policy().orElse(null));
            g.writeStringField("lastRunBy", m.lastRunBy().orElse(null));
            g.writeStringField("lastStarted", m.lastStarted().map(Instant::toString).orElse(null));
            g.writeStringField(
                "lastFinished", m.lastFinished().map(Instant::toString).orElse(null));
            g.writeNumberField("lastDeletedCompleted", m.lastDeletedCompleted());
            g.writeNumberField("lastDeletedFailed", m.lastDeletedFailed());
            g.writeNumberField("lastFreedBytes", m.lastFreedBytes());
            g.writeStringField("lastError", m.lastError().orElse(null));
            g.writeNumberField("totalDeleted", m.totalDeleted());
            g.writeStringField("runningOn", m.runningOn().orElse(null));
            g.writeEndObject();
            g.writeEndObject();
          });
      return ExitCodes.OK;
    }
    out.println("database  " + s.location());
    if (schema != null) {
      out.println("schema    " + schema + " (PostgreSQL)");
      out.println(
          "size      "
              + bytes(s.sizeBytes())
              + " in jobkit's tables and their indexes ("
              + s.pageCount()
              + " blocks of "
              + s.pageSize()
              + " bytes)");
      out.println("free      reclaimed by PostgreSQL's autovacuum");
      retention(out, m);
      return ExitCodes.OK;
    }
    out.println(
        "size      "
            + bytes(s.sizeBytes())
            + " ("
            + s.pageCount()
            + " pages of "
            + s.pageSize()
            + " bytes)");
    out.println(
        "free      "
            + bytes(s.freePages() * s.pageSize())
            + " ("
            + s.freePages()
            + (s.freePages() == 1 ? " page" : " pages")
            + switch (m.vacuum()) {
              case "incremental" -> ", given back after each retention pass)";
              case "none" -> "; jobkit storage --compact gives them back)";
              default -> ")";
            });
    out.println("wal       " + bytes(s.walBytes()));
    retention(out, m);
    return ExitCodes.OK;
  }

  /** The retention lines: the policy, the last pass, the total, and a pass running now. */
  private static void retention(PrintWriter out, MaintenanceInfo m) {
    if (m.lastStarted().isEmpty()) {
      out.println(
          "retention never ran here; workers apply it (default: "
              + RetentionPolicy.defaults()
              + ")");
    } else {
      out.println("retention " + m.policy().orElse("?"));
      Instant started = m.lastStarted().get();
      String took =
          m.lastFinished().map(f -> Durations.format(Duration.between(started, f))).orElse("?");
      out.println(
          "last run  "
              + started.truncatedTo(ChronoUnit.SECONDS)
              + " for "
              + took
              + ": deleted "
              + m.lastDeleted()
              + (m.lastDeleted() == 1 ? " job" : " jobs")
              + " ("
              + m.lastDeletedCompleted()
              + " completed, "
              + m.lastDeletedFailed()
              + " failed, cancelled or timed out), gave back "
              + bytes(m.lastFreedBytes())
              + m.lastError().map(e -> "; stopped early: " + e).orElse(""));
      out.println("deleted   " + m.totalDeleted() + " jobs in all by retention");
    }
    Optional<String> running = m.runningOn();
    running.ifPresent(o -> out.println("running   now, on worker " + o));
  }

  /** {@code 512 B}, {@code 1.5 KiB}, {@code 3.2 MiB}, ... */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
