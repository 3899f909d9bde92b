package dev.jobkit.cli;

import dev.jobkit.Priority;
import dev.jobkit.runtime.JobTransfer.ScheduleFireRecord;
import dev.jobkit.runtime.JobTransfer.ScheduleRecord;
import dev.jobkit.runtime.Tenants;
import java.io.Writer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The schedule lines of an export (issue #16): {@code {"kind":"schedule","name":...,"job":...,
 * "paramsMsgpack":...,...,"history":[...]}}, each schedule exactly as stored with its history,
 * written after the header and the templates and before the jobs. Times are epoch milliseconds, as
 * stored ({@code nextFireAt} is 9223372036854775807 when there is no next slot). An export that
 * holds schedules has header version {@value JobLines#VERSION_WITH_SCHEDULES}, so that a jobkit
 * that does not know them refuses the file at its header instead of at a line.
 */
final class ScheduleLines {
  /** The {@code kind} of a schedule line. */
  static final String KIND = "schedule";

  private ScheduleLines() {}

  /** Writes one schedule, with its history, as one line. */
  static void write(Writer out, ScheduleRecord s) {
    Json.write(
        out,
        true,
        g -> {
          g.writeStartObject();
          g.writeStringField("kind", KIND);
          g.writeStringField("name", s.name());
          g.writeStringField("job", s.jobName());
          g.writeStringField("paramsMsgpack", JobLines.base64(s.params()));
          g.writeStringField("priority", s.priority().name());
          g.writeStringField("queue", s.queue());
          g.writeNumberField("maxAttempts", s.maxAttempts());
          g.writeNumberField("timeoutMs", s.timeoutMs());
          g.writeArrayFieldStart("tags");
          for (String t : s.tags()) {
            g.writeString(t);
          }
          g.writeEndArray();
          g.writeStringField("cron", s.cron());
          g.writeNumberField("intervalMs", s.intervalMs());
          g.writeStringField("zone", s.zone());
          g.writeStringField("misfire", s.misfire());
          g.writeNumberField("misfireCap", s.misfireCap());
          g.writeNumberField("misfireGraceMs", s.misfireGraceMs());
          g.writeStringField("overlap", s.overlap());
          g.writeStringField("fallBack", s.fallBack());
          g.writeNumberField("jitterMs", s.jitterMs());
          g.writeBooleanField("paused", s.paused());
          g.writeStringField("pauseReason", s.pauseReason());
          g.writeNumberField("nextFireAt", s.nextFireAt());
          g.writeFieldName("pendingSlot");
          if (s.pendingSlot() == null) {
            g.writeNull();
          } else {
            g.writeNumber(s.pendingSlot());
          }
          g.writeNumberField("lastFireAt", s.lastFireAt());
          g.writeStringField("lastJobId", s.lastJobId());
          g.writeBooleanField("declared", s.declared());
          g.writeNumberField("createdAt", s.createdAt());
          g.writeStringField("createdBy", s.createdBy());
          g.writeNumberField("updatedAt", s.updatedAt());
          g.writeArrayFieldStart("history");
          for (ScheduleFireRecord f : s.history()) {
            g.writeStartObject();
            g.writeStringField("id", f.id());
            g.writeNumberField("slot", f.slot());
            g.writeStringField("outcome", f.outcome());
            g.writeStringField("jobId", f.jobId());
            g.writeStringField("reason", f.reason());
            g.writeNumberField("recordedAt", f.recordedAt());
            g.writeEndObject();
          }
          g.writeEndArray();
          // #14 tenants: only for another tenant's schedule, so other lines read as before
          if (!s.tenant().equals(Tenants.DEFAULT)) {
            g.writeStringField("tenant", s.tenant());
          }
          g.writeEndObject();
        });
  }

  /**
   * Whether {@code line} is a schedule line: an object whose top-level {@code kind} is {@code
   * "schedule"}.
   */
  static boolean isSchedule(String line) {
    if (!line.contains("\"" + KIND + "\"")) {
      return false; // job lines, quickly
    }
    try {
      return KIND.equals(JobLines.object(line).get("kind"));
    } catch (JobLines.BadLine e) {
      return false;
    }
  }

  /** #14 tenants: the line's tenant; absent (older exports, the default tenant) means default. */
  private static String tenant(Map<String, Object> o) throws JobLines.BadLine {
    String t = JobLines.string(o, "tenant", false);
    if (t == null) {
      return Tenants.DEFAULT;
    }
    try {
      return Tenants.checkName(t);
    } catch (IllegalArgumentException e) {
      throw new JobLines.BadLine("\"tenant\": " + e.getMessage());
    }
  }

  /** One schedule from its line, fully checked. */
  static ScheduleRecord read(String line) throws JobLines.BadLine {
    Map<String, Object> o = JobLines.object(line);
    String name = JobLines.string(o, "name", true);
    if (name.isBlank()) {
      throw new JobLines.BadLine("a schedule line needs a non-empty \"name\"");
    }
    try {
      List<ScheduleFireRecord> history = new ArrayList<>();
      for (Map<String, Object> f : JobLines.objects(o, "history")) {
        history.add(
            new ScheduleFireRecord(
                JobLines.string(f, "id", true),
                JobLines.number(f, "slot"),
                JobLines.string(f, "outcome", true),
                JobLines.string(f, "jobId", false),
                JobLines.string(f, "reason", false),
                JobLines.number(f, "recordedAt")));
      }
      byte[] params = JobLines.bytes(o, "paramsMsgpack");
      if (params == null) {
        throw new JobLines.BadLine("\"paramsMsgpack\" is missing");
      }
      String cron = JobLines.string(o, "cron", false);
      long intervalMs = JobLines.number(o, "intervalMs");
      if ((cron == null) == (intervalMs <= 0)) {
        throw new JobLines.BadLine(
            "give either \"cron\" or a positive \"intervalMs\", not both or neither");
      }
      Object pending = o.get("pendingSlot");
      if (pending != null && !(pending instanceof BigInteger)) {
        throw new JobLines.BadLine("\"pendingSlot\" must be a whole number or null");
      }
      return new ScheduleRecord(
          name,
          JobLines.string(o, "job", true),
          params,
          JobLines.enumValue(Priority.class, JobLines.string(o, "priority", true), "priority"),
          JobLines.string(o, "queue", true),
          (int) JobLines.number(o, "maxAttempts"),
          JobLines.number(o, "timeoutMs"),
          JobLines.strings(o, "tags"),
          cron,
          intervalMs,
          JobLines.string(o, "zone", true),
          JobLines.string(o, "misfire", true),
          (int) JobLines.number(o, "misfireCap"),
          JobLines.number(o, "misfireGraceMs"),
          JobLines.string(o, "overlap", true),
          JobLines.string(o, "fallBack", true),
          JobLines.number(o, "jitterMs"),
          JobLines.flag(o, "paused"),
          JobLines.string(o, "pauseReason", false),
          JobLines.number(o, "nextFireAt"),
          pending == null ? null : JobLines.number(o, "pendingSlot"),
          JobLines.number(o, "lastFireAt"),
          JobLines.string(o, "lastJobId", false),
          JobLines.flag(o, "declared"),
          JobLines.number(o, "createdAt"),
          JobLines.string(o, "createdBy", false),
          JobLines.number(o, "updatedAt"),
          history,
          tenant(o));
    } catch (JobLines.BadLine e) {
      throw new JobLines.BadLine("schedule " + name + ": " + e.getMessage());
    }
  }
}
