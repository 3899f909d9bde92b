package dev.jobkit.cli;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.StorageInfo;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jobkit storage}: the database's size. On PostgreSQL that is the size of jobkit's tables
 * with their indexes; free space and the WAL are the server's (shared by all its databases).
 */
@Command(
    name = "storage",
    description = {
      "Show where the job database is and how big it is.",
      "On PostgreSQL: the schema, and the size of jobkit's tables with their indexes."
    })
final class StorageCommand extends JobkitCommand {
  @Option(names = "--json", description = "Print the sizes as a JSON object.")
  boolean json;

  @Override
  public Integer call() {
    Databases.Target target = jobkit.target();
    StorageInfo s;
    try (JobManager jobs = jobkit.openClient(false)) {
      s = jobs.storageInfo();
    }
    String schema = target instanceof Databases.Postgres pg ? pg.schema : null;
    PrintWriter out = out();
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
            + " pages, reclaimable by VACUUM)");
    out.println("wal       " + bytes(s.walBytes()));
    return ExitCodes.OK;
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
