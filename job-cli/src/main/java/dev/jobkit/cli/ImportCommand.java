package dev.jobkit.cli;

import dev.jobkit.JobException;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobRecord;
import dev.jobkit.runtime.JobStorageException;
import dev.jobkit.runtime.JobTransfer;
import dev.jobkit.runtime.TemplateException;
import dev.jobkit.runtime.TemplateInfo;
import dev.jobkit.runtime.Templates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jobkit import jobs.jsonl}: jobs written by {@code jobkit export}, keeping their ids. */
@Command(
    name = "import",
    description = {
      "Read jobs written by 'jobkit export' into the database, keeping their ids. Every line is "
          + "checked before anything is written; jobs are written 500 per transaction.",
      "Job templates in the file are written first, in one transaction; a template whose name "
          + "exists is skipped (or replaced with --replace).",
      "Schedules follow, each with its history in one transaction; a schedule whose name exists "
          + "is skipped (or replaced with --replace).",
      "Batches are written with the first jobs of them, in their transaction; a batch whose id "
          + "exists is skipped (or replaced with --replace).",
      "Jobs whose id exists are skipped (or replaced with --replace). Jobs that were RUNNING are "
          + "imported QUEUED and resume from their checkpoints."
    })
final class ImportCommand extends JobkitCommand {
  /** Jobs per transaction. */
  static final int BATCH = 500;

  /** Invalid lines printed before giving up. */
  static final int MAX_ERRORS = 10;

  @Parameters(paramLabel = "FILE", description = "The export to read, or - for standard input.")
  String file;

  @Option(names = "--replace", description = "Replace jobs whose id exists instead of skipping.")
  boolean replace;

  @Option(
      names = "--json",
      description =
          "Print {\"imported\",\"replaced\",\"skipped\",\"requeued\"} (counts and requeued"
              + " ids), and \"templates\": {\"imported\",\"replaced\",\"skipped\"} when the"
              + " file has templates, \"schedules\" likewise when it has schedules.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    jobkit.noTenant("import", "keeps the tenant each job has in the file"); // #14 tenants
    JobLines lines = new JobLines(jobkit.registry());
    String stdin =
        file.equals("-") ? new String(jobkit.stdin().readAllBytes(), StandardCharsets.UTF_8) : null;
    // Pass 1: every line, nothing written.
    List<String> errors = new ArrayList<>();
    Map<String, Long> lineOf = new HashMap<>();
    long jobsInFile = 0;
    // #12 templates: few, so kept from pass 1
    List<TemplateInfo> templates = new ArrayList<>();
    Map<String, Long> templateLineOf = new HashMap<>();
    // #16 schedules: few, so kept from pass 1
    List<JobTransfer.ScheduleRecord> schedules = new ArrayList<>();
    Map<String, Long> scheduleLineOf = new HashMap<>();
    // #12 batches: kept from pass 1, each written with the first jobs of it
    Map<String, JobTransfer.BatchRecord> batches = new LinkedHashMap<>();
    Map<String, Long> batchLineOf = new HashMap<>();
    try (BufferedReader in = open(stdin)) {
      long n = 0;
      String line;
      boolean header = false;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          if (!header) {
            JobLines.readHeader(line);
            header = true;
            continue;
          }
          if (TemplateLines.isTemplate(line)) { // #12 templates
            TemplateInfo t = TemplateLines.read(line);
            Long firstT = templateLineOf.putIfAbsent(t.name(), n);
            if (firstT != null) {
              throw new JobLines.BadLine("template " + t.name() + " is also on line " + firstT);
            }
            templates.add(t);
            continue;
          }
          if (ScheduleLines.isSchedule(line)) { // #16 schedules
            JobTransfer.ScheduleRecord sr = ScheduleLines.read(line);
            Long firstS = scheduleLineOf.putIfAbsent(sr.name(), n);
            if (firstS != null) {
              throw new JobLines.BadLine("schedule " + sr.name() + " is also on line " + firstS);
            }
            schedules.add(sr);
            continue;
          }
          if (BatchLines.isBatch(line)) { // #12 batches
            JobTransfer.BatchRecord b = BatchLines.read(line);
            Long firstB = batchLineOf.putIfAbsent(b.id(), n);
            if (firstB != null) {
              throw new JobLines.BadLine("batch " + b.id() + " is also on line " + firstB);
            }
            batches.put(b.id(), b);
            continue;
          }
          JobRecord r = lines.read(line);
          Long first = lineOf.putIfAbsent(r.id(), n);
          if (first != null) {
            throw new JobLines.BadLine("job " + r.id() + " is also on line " + first);
          }
          jobsInFile++;
        } catch (JobLines.BadLine e) {
          errors.add(where(n) + ": " + e.getMessage());
          if (!header) {
            break; // without a header, the rest is not worth reading
          }
          if (errors.size() >= MAX_ERRORS) {
            break;
          }
        }
      }
      if (!header && errors.isEmpty()) {
        errors.add(file + ": empty; an export starts with its header line");
      }
    }
    if (!errors.isEmpty()) {
      for (int i = 0; i < errors.size() - 1; i++) {
        err().println("jobkit: error: " + errors.get(i));
      }
      throw new CliException(
          ExitCodes.BAD_INPUT,
          errors.get(errors.size() - 1)
              + (errors.size() >= MAX_ERRORS ? " (stopped after " + MAX_ERRORS + " errors)" : "")
              + "; nothing was imported");
    }
    // Pass 2: the same lines, in batches.
    long[] batchCounts = new long[3]; // #12 batches: imported, replaced, skipped
    long inserted = 0;
    long replaced = 0;
    long skipped = 0;
    List<String> requeued = new ArrayList<>();
    Templates.ImportResult imported = new Templates.ImportResult(List.of(), List.of(), List.of());
    JobTransfer.ScheduleImportResult importedSchedules =
        new JobTransfer.ScheduleImportResult(List.of(), List.of(), List.of());
    try (JobManager jobs = jobkit.openClient(true);
        BufferedReader in = open(stdin)) {
      if (!templates.isEmpty()) { // #12 templates
        try {
          imported = jobs.templates().importAll(templates, replace);
        } catch (TemplateException e) {
          throw new CliException(
              ExitCodes.BAD_INPUT,
              where(templateLineOf.getOrDefault(e.templateName(), 0L))
                  + ": "
                  + e.getMessage()
                  + "; nothing was imported");
        }
      }
      if (!schedules.isEmpty()) { // #16 schedules
        try {
          importedSchedules = jobs.transfer().importSchedules(schedules, replace);
        } catch (IllegalArgumentException e) {
          throw new CliException(
              ExitCodes.BAD_INPUT, file + ": " + e.getMessage() + "; no job was imported");
        }
      }
      List<JobRecord> batch = new ArrayList<>(BATCH);
      List<JobTransfer.BatchRecord> allBatches = List.copyOf(batches.values());
      String line;
      boolean header = false;
      while (true) {
        line = in.readLine();
        if (line != null && line.isBlank()) {
          continue;
        }
        if (line != null && !header) {
          header = true;
          continue;
        }
        if (line != null
            && (TemplateLines.isTemplate(line)
                || ScheduleLines.isSchedule(line)
                || BatchLines.isBatch(line))) {
          continue; // #12 templates, #16 schedules: imported above; #12 batches: with their jobs
        }
        if (line != null) {
          try {
            batch.add(lines.read(line));
          } catch (JobLines.BadLine e) {
            throw new CliException(
                ExitCodes.BAD_INPUT, file + " changed while it was read: " + e.getMessage());
          }
        }
        if (batch.size() == BATCH || (line == null && !batch.isEmpty())) {
          JobTransfer.ImportResult r;
          List<JobTransfer.BatchRecord> withThem = new ArrayList<>();
          for (String id : JobTransfer.batchIdsOf(batch, allBatches)) {
            JobTransfer.BatchRecord b = batches.remove(id);
            if (b != null) {
              withThem.add(b);
            }
          }
          try {
            r = jobs.transfer().importJobs(batch, withThem, replace);
          } catch (JobStorageException e) {
            throw e;
          } catch (JobException e) {
            throw new CliException(
                ExitCodes.BAD_INPUT,
                where(lineOf.get(batch.get(0).id()))
                    + " to "
                    + lineOf.get(batch.get(batch.size() - 1).id())
                    + ": "
                    + e.getMessage()
                    + "; "
                    + (inserted + replaced)
                    + " jobs before those lines were imported");
          }
          inserted += r.inserted().size();
          replaced += r.replaced().size();
          skipped += r.skipped().size();
          requeued.addAll(r.requeued());
          batchCounts = add(batchCounts, r);
          batch.clear();
        }
        if (line == null) {
          break;
        }
      }
      if (!batches.isEmpty()) { // #12 batches that no job of the file belongs to
        batchCounts =
            add(
                batchCounts,
                jobs.transfer().importJobs(List.of(), List.copyOf(batches.values()), replace));
      }
    }
    report(inserted, replaced, skipped, requeued, imported, importedSchedules, batchCounts);
    return ExitCodes.OK;
  }

  /** #12 batches: {@code counts} (imported, replaced, skipped) plus those of {@code r}. */
  private static long[] add(long[] counts, JobTransfer.ImportResult r) {
    return new long[] {
      counts[0] + r.batchesInserted().size(),
      counts[1] + r.batchesReplaced().size(),
      counts[2] + r.batchesSkipped().size()
    };
  }

  private void report(
      long inserted,
      long replaced,
      long skipped,
      List<String> requeued,
      Templates.ImportResult templates,
      JobTransfer.ScheduleImportResult schedules,
      long[] batches) {
    if (json) {
      Json.write(
          out(),
          true,
          g -> {
            g.writeStartObject();
            g.writeNumberField("imported", inserted);
            g.writeNumberField("replaced", replaced);
            g.writeNumberField("skipped", skipped);
            g.writeArrayFieldStart("requeued");
            for (String id : requeued) {
              g.writeString(id);
            }
            g.writeEndArray();
            // #12 templates: only when the file has some, so older readers see what they did
            if (!templates.inserted().isEmpty()
                || !templates.replaced().isEmpty()
                || !templates.skipped().isEmpty()) {
              g.writeObjectFieldStart("templates");
              g.writeNumberField("imported", templates.inserted().size());
              g.writeNumberField("replaced", templates.replaced().size());
              g.writeNumberField("skipped", templates.skipped().size());
              g.writeEndObject();
            }
            // #16 schedules: likewise
            if (!schedules.inserted().isEmpty()
                || !schedules.replaced().isEmpty()
                || !schedules.skipped().isEmpty()) {
              g.writeObjectFieldStart("schedules");
              g.writeNumberField("imported", schedules.inserted().size());
              g.writeNumberField("replaced", schedules.replaced().size());
              g.writeNumberField("skipped", schedules.skipped().size());
              g.writeEndObject();
            }
            // #12 batches: likewise
            if (batches[0] + batches[1] + batches[2] > 0) {
              g.writeObjectFieldStart("batches");
              g.writeNumberField("imported", batches[0]);
              g.writeNumberField("replaced", batches[1]);
              g.writeNumberField("skipped", batches[2]);
              g.writeEndObject();
            }
            g.writeEndObject();
          });
      return;
    }
    out()
        .println(
            "imported "
                + (inserted + replaced)
                + plural(inserted + replaced, " job")
                + " into "
                + jobkit.databaseForDisplay()
                + (replaced > 0 ? " (" + replaced + " replaced)" : ""));
    if (skipped > 0) {
      out()
          .println(
              "skipped "
                  + skipped
                  + plural(skipped, " job")
                  + " whose id exists already (pass --replace to replace them)");
    }
    // #12 templates
    int templatesWritten = templates.inserted().size() + templates.replaced().size();
    if (templatesWritten > 0) {
      out()
          .println(
              "imported "
                  + templatesWritten
                  + plural(templatesWritten, " template")
                  + (templates.replaced().isEmpty()
                      ? ""
                      : " (" + templates.replaced().size() + " replaced)"));
    }
    if (!templates.skipped().isEmpty()) {
      out()
          .println(
              "skipped "
                  + templates.skipped().size()
                  + plural(templates.skipped().size(), " template")
                  + " whose name exists already (pass --replace to replace them): "
                  + String.join(", ", templates.skipped()));
    }
    // #16 schedules
    int schedulesWritten = schedules.inserted().size() + schedules.replaced().size();
    if (schedulesWritten > 0) {
      out()
          .println(
              "imported "
                  + schedulesWritten
                  + plural(schedulesWritten, " schedule")
                  + (schedules.replaced().isEmpty()
                      ? ""
                      : " (" + schedules.replaced().size() + " replaced)"));
    }
    if (!schedules.skipped().isEmpty()) {
      out()
          .println(
              "skipped "
                  + schedules.skipped().size()
                  + plural(schedules.skipped().size(), " schedule")
                  + " whose name exists already (pass --replace to replace them): "
                  + String.join(", ", schedules.skipped()));
    }
    // #12 batches
    if (batches[0] + batches[1] > 0) {
      out()
          .println(
              "imported "
                  + (batches[0] + batches[1])
                  + (batches[0] + batches[1] == 1 ? " batch" : " batches")
                  + (batches[1] == 0 ? "" : " (" + batches[1] + " replaced)"));
    }
    if (batches[2] > 0) {
      out()
          .println(
              "skipped "
                  + batches[2]
                  + (batches[2] == 1 ? " batch" : " batches")
                  + " whose id exists already (pass --replace to replace them)");
    }
    if (!requeued.isEmpty()) {
      out()
          .println(
              requeued.size()
                  + plural(requeued.size(), " job")
                  + " RUNNING when exported "
                  + (requeued.size() == 1 ? "was" : "were")
                  + " imported QUEUED and will resume from "
                  + (requeued.size() == 1 ? "its checkpoint" : "their checkpoints")
                  + ": "
                  + String.join(", ", requeued));
    }
  }

  private static String plural(long n, String word) {
    return n == 1 ? word : word + "s";
  }

  private String where(long line) {
    return (file.equals("-") ? "standard input" : file) + " line " + line;
  }

  private BufferedReader open(String stdin) {
    if (stdin != null) {
      return new BufferedReader(new StringReader(stdin));
    }
    Path p = Path.of(file);
    try {
      if (Files.isDirectory(p)) {
        throw new CliException(ExitCodes.BAD_INPUT, file + ": is a directory; pass an export file");
      }
      return new BufferedReader(
          new InputStreamReader(Files.newInputStream(p), StandardCharsets.UTF_8.newDecoder()));
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.BAD_INPUT, file + ": no such file");
    } catch (IOException e) {
      throw new CliException(ExitCodes.BAD_INPUT, file + ": cannot read it: " + e.getMessage());
    }
  }
}
